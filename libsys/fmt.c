#include <drake/fmt.h>
#include <stdbool.h>
#include <stdint.h>

struct fmt_spec {
	int width;
	bool zero;
	bool left;
	int longs; /* 0, 1 (l) or 2 (ll) */
};

struct fmt_out {
	fmt_put_fn put;
	void *ctx;
	int count;
};

static void fmt_emit(struct fmt_out *out, char c)
{
	out->put(out->ctx, c);
	out->count++;
}

static void fmt_pad(struct fmt_out *out, int n, char c)
{
	while (n-- > 0)
		fmt_emit(out, c);
}

/* Emit sign + digits honouring width, zero padding and alignment. */
static void fmt_field(struct fmt_out *out, const struct fmt_spec *spec,
		      const char *prefix, const char *body, int len)
{
	int plen = 0;
	while (prefix[plen])
		plen++;
	int pad = spec->width - plen - len;
	if (!spec->left && !spec->zero)
		fmt_pad(out, pad, ' ');
	for (int i = 0; i < plen; i++)
		fmt_emit(out, prefix[i]);
	if (!spec->left && spec->zero)
		fmt_pad(out, pad, '0');
	for (int i = 0; i < len; i++)
		fmt_emit(out, body[i]);
	if (spec->left)
		fmt_pad(out, pad, ' ');
}

static void fmt_number(struct fmt_out *out, const struct fmt_spec *spec,
		       uint64_t value, unsigned base, bool upper,
		       const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];
	int pos = sizeof(buf);
	do {
		buf[--pos] = digits[value % base];
		value /= base;
	} while (value);
	fmt_field(out, spec, prefix, buf + pos, (int)sizeof(buf) - pos);
}

static uint64_t fmt_arg_unsigned(const struct fmt_spec *spec, va_list *ap)
{
	if (spec->longs == 2)
		return va_arg(*ap, unsigned long long);
	if (spec->longs == 1)
		return va_arg(*ap, unsigned long);
	return va_arg(*ap, unsigned int);
}

static int64_t fmt_arg_signed(const struct fmt_spec *spec, va_list *ap)
{
	if (spec->longs == 2)
		return va_arg(*ap, long long);
	if (spec->longs == 1)
		return va_arg(*ap, long);
	return va_arg(*ap, int);
}

static void fmt_signed(struct fmt_out *out, const struct fmt_spec *spec,
		       int64_t v)
{
	uint64_t mag = v < 0 ? -(uint64_t)v : (uint64_t)v;
	fmt_number(out, spec, mag, 10, false, v < 0 ? "-" : "");
}

static void fmt_string(struct fmt_out *out, const struct fmt_spec *spec,
		       const char *s)
{
	struct fmt_spec plain = *spec;
	int len = 0;
	if (!s)
		s = "(null)";
	while (s[len])
		len++;
	plain.zero = false;
	fmt_field(out, &plain, "", s, len);
}

/* Parse flags, width and length; returns the conversion character. */
static const char *fmt_parse(const char *p, struct fmt_spec *spec)
{
	*spec = (struct fmt_spec){0};
	for (;; p++) {
		if (*p == '0')
			spec->zero = true;
		else if (*p == '-')
			spec->left = true;
		else
			break;
	}
	while (*p >= '0' && *p <= '9')
		spec->width = spec->width * 10 + (*p++ - '0');
	while (*p == 'l' && spec->longs < 2) {
		spec->longs++;
		p++;
	}
	return p;
}

static void fmt_convert(struct fmt_out *out, const struct fmt_spec *spec,
			char conv, va_list *ap)
{
	switch (conv) {
	case 'd':
	case 'i':
		fmt_signed(out, spec, fmt_arg_signed(spec, ap));
		break;
	case 'u':
		fmt_number(out, spec, fmt_arg_unsigned(spec, ap), 10, false,
			   "");
		break;
	case 'x':
	case 'X':
		fmt_number(out, spec, fmt_arg_unsigned(spec, ap), 16,
			   conv == 'X', "");
		break;
	case 'p':
		fmt_number(out, spec, (uintptr_t)va_arg(*ap, void *), 16, false,
			   "0x");
		break;
	case 's':
		fmt_string(out, spec, va_arg(*ap, const char *));
		break;
	case 'c':
		fmt_emit(out, (char)va_arg(*ap, int));
		break;
	case '%':
		fmt_emit(out, '%');
		break;
	default: /* unknown: show it rather than guess at arguments */
		fmt_emit(out, '%');
		fmt_emit(out, conv);
		break;
	}
}

int fmt_vformat(fmt_put_fn put, void *ctx, const char *fmt, va_list ap)
{
	struct fmt_out out = {put, ctx, 0};
	va_list args;
	va_copy(args, ap);
	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			fmt_emit(&out, *p);
			continue;
		}
		struct fmt_spec spec;
		p = fmt_parse(p + 1, &spec);
		if (!*p)
			break;
		fmt_convert(&out, &spec, *p, &args);
	}
	va_end(args);
	return out.count;
}

struct fmt_buf {
	char *buf;
	size_t size;
	size_t len;
};

static void fmt_buf_put(void *ctx, char c)
{
	struct fmt_buf *b = ctx;
	if (b->len + 1 < b->size)
		b->buf[b->len] = c;
	b->len++;
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_buf b = {buf, size, 0};
	int n = fmt_vformat(fmt_buf_put, &b, fmt, ap);
	if (size)
		buf[b.len < size ? b.len : size - 1] = '\0';
	return n;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
