/*
 * files: the RAM file server. It publishes "files" and answers FS_LIST,
 * FS_READ and FS_WRITE (drake/svc.h); the data moves through each
 * request's grant with COPY. It serves two kinds of file:
 *
 *  - the boot modules, listed once at start with MODINFO. Their bytes
 *    are read lazily, with MODREAD, a chunk at a time as clients ask:
 *    the modules already sit in RAM for SPAWN, so copying them into
 *    this heap at start would hold every program twice, and make every
 *    boot pay for files that are seldom read;
 *  - files written at run time (FS_WRITE), kept whole in this task's
 *    heap. A write replaces a file of the same name, a module's too
 *    (the module itself stays spawnable: only the file changes).
 *
 * Bounded: FS_FILES_MAX files in all, the modules included (one more
 * is refused with EAGAIN: errno.h has no ENOSPC), and FS_FILE_MAX bytes
 * in a written file (E2BIG), so the heap holds at most 4 MiB; ENOMEM
 * if malloc fails even so. A write is copied whole before it replaces
 * anything, so a failed one (a bad grant, a client gone) leaves the
 * old file as it was. Requests are served one at a time, in order.
 */
#include <drake/string.h>
#include <drake/svc.h>
#include <drake/sys.h>

/* Module bytes go through here: MODREAD in, COPY out. */
#define CHUNK 1024

struct file {
	char name[SVC_NAME_MAX + 1];
	uint32_t size;
	bool written;	 /* data holds it; else it is a boot module */
	uint8_t *data;	 /* written */
	uint32_t module; /* the module's index, for MODREAD */
};

static struct file files[FS_FILES_MAX];
static uint32_t nfiles;

static struct file *file_find(const char *name)
{
	for (uint32_t i = 0; i < nfiles; i++)
		if (!strcmp(files[i].name, name))
			return &files[i];
	return NULL;
}

/* One file per module name; a module given twice is listed once. */
static void files_add_modules(void)
{
	struct drake_modinfo info;
	int next = 0;
	do {
		uint32_t index = (uint32_t)next;
		next = sys_modinfo(index, &info);
		if (next < 0 || nfiles == FS_FILES_MAX)
			return;
		info.name[SVC_NAME_MAX] = '\0';
		if (file_find(info.name))
			continue;
		struct file *f = &files[nfiles++];
		memcpy(f->name, info.name, sizeof(f->name));
		f->size = info.size;
		f->module = index;
	} while (next > 0);
}

static int fs_list(const struct fs_request *r, const struct file **fp,
		   uint64_t *result)
{
	if (r->index >= nfiles)
		return ENOENT;
	*fp = &files[r->index];
	*result = r->index + 1 < nfiles ? r->index + 1 : 0;
	return 0;
}

/* Up to len bytes of f at pos into the grant at gpos: bytes copied. */
static long fs_copy_out(uint32_t handle, const struct file *f, uint32_t pos,
			uint32_t gpos, uint32_t len)
{
	static uint8_t chunk[CHUNK];
	if (f->written)
		return svc_copy(handle, COPY_TO_CLIENT, gpos, f->data + pos,
				len);
	long n = sys_modread(f->module, pos, chunk, len < CHUNK ? len : CHUNK);
	return n <= 0
		   ? n
		   : svc_copy(handle, COPY_TO_CLIENT, gpos, chunk, (uint32_t)n);
}

/* As much of the file from offset as the grant holds. */
static int fs_read(uint32_t handle, const struct fs_request *r,
		   const struct file **fp, uint64_t *result)
{
	const struct file *f = file_find(r->name);
	if (!f)
		return ENOENT;
	uint32_t n = r->offset < f->size ? f->size - r->offset : 0;
	if (n > r->req.grant_len)
		n = r->req.grant_len;
	uint32_t done = 0;
	while (done < n) {
		long got =
		    fs_copy_out(handle, f, r->offset + done, done, n - done);
		if (got < 0)
			return (int)-got;
		if (!got)
			break; /* the module ended early: never spin */
		done += (uint32_t)got;
	}
	*fp = f;
	*result = done;
	return 0;
}

/* The file named r->name becomes the grant's bytes. */
static int fs_write(uint32_t handle, const struct fs_request *r,
		    const struct file **fp, uint64_t *result)
{
	uint32_t len = r->req.grant_len;
	struct file *f = file_find(r->name);
	if (!r->name[0])
		return EINVAL;
	if (len > FS_FILE_MAX)
		return E2BIG;
	if (!f && nfiles == FS_FILES_MAX)
		return EAGAIN;
	uint8_t *data = malloc(len ? len : 1);
	if (!data)
		return ENOMEM;
	long got = svc_copy(handle, COPY_FROM_CLIENT, 0, data, len);
	if (got < 0) {
		free(data);
		return (int)-got;
	}
	if (!f) {
		f = &files[nfiles++];
		memcpy(f->name, r->name, sizeof(f->name));
	} else if (f->written) {
		free(f->data);
	}
	f->data = data;
	f->size = (uint32_t)got;
	f->written = true;
	*fp = f;
	*result = (uint32_t)got;
	return 0;
}

static int fs_serve(uint32_t handle, struct fs_request *r,
		    const struct file **fp, uint64_t *result)
{
	if (r->req.hdr.size != sizeof(*r))
		return EMSGSIZE;
	r->name[SVC_NAME_MAX] = '\0';
	switch (r->req.hdr.cmd) {
	case FS_LIST:
		return fs_list(r, fp, result);
	case FS_READ:
		return fs_read(handle, r, fp, result);
	case FS_WRITE:
		return fs_write(handle, r, fp, result);
	}
	return ENOSYS;
}

/* A success's reply body is the file's size and name. */
static void fs_answer(uint32_t handle, struct fs_request *r)
{
	const struct file *f = NULL;
	uint64_t result = 0;
	int err = fs_serve(handle, r, &f, &result);
	if (!err) {
		r->size = f->size;
		memcpy(r->name, f->name, sizeof(r->name));
	}
	svc_reply(handle, err, result, &r->size,
		  err ? 0 : sizeof(r->size) + sizeof(r->name));
}

int main(void)
{
	files_add_modules();
	int id = svc_create(0);
	int err = id < 0 ? id : svc_publish("files", (uint32_t)id);
	if (err < 0) {
		printf("files: %s\n", strerror(err));
		return 1;
	}
	for (;;) {
		struct fs_request r;
		uint32_t handle;
		if (!svc_receive((uint32_t)id, &r, sizeof(r), &handle, NULL))
			fs_answer(handle, &r);
	}
}
