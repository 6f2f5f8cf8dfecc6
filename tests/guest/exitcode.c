/* Test helper: exit with the status given as the first argument. */
#include <drake/string.h>
#include <drake/sys.h>

int main(int argc, char **argv)
{
	return argc > 1 ? atoi(argv[1]) : 0;
}
