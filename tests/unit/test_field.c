/* Unit tests for lib/field.c: awk-style and cut-style fields. */
#include "field.h"
#include "tap.h"

static const char *
field(const char *line, size_t n, int delim)
{
	static char buf[256];
	size_t start, len;

	if (field_find(line, strlen(line), n, delim, &start, &len) < 0)
		return "(none)";
	snprintf(buf, sizeof(buf), "%.*s", (int)len, line + start);
	return buf;
}

int
main(void)
{
	is_str(field("a b c", 1, FIELD_BLANKS), "a", "first");
	is_str(field("a b c", 3, FIELD_BLANKS), "c", "last");
	is_str(field("  a \t b  ", 2, FIELD_BLANKS), "b", "blank runs, leading");
	is_str(field("a b", 3, FIELD_BLANKS), "(none)", "too few");
	is_str(field("   ", 1, FIELD_BLANKS), "(none)", "blank line");
	is_str(field("", 1, FIELD_BLANKS), "(none)", "empty line");
	is_str(field("a b\r", 2, FIELD_BLANKS), "b\r", "CR stays in the field");
	is_str(field("a,,c", 2, ','), "", "empty cut field");
	is_str(field("a,,c", 3, ','), "c", "cut field after empty");
	is_str(field("abc", 1, ','), "abc", "no delimiter: field 1 is the line");
	is_str(field("abc", 2, ','), "(none)", "no delimiter: no field 2");
	is_str(field("a,b,", 3, ','), "", "trailing empty field");
	is_str(field("x", 0, ','), "(none)", "field 0 is none");
	return done_testing();
}
