/* Unit tests for lib/number.c: the syntax and the shortest format. */
#include <math.h>
#include <stdint.h>

#include "number.h"
#include "tap.h"

static const char *
fmt(const char *text)
{
	static char buf[NUM_BUFSIZE];
	struct num n;

	if (num_parse(text, strlen(text), &n) < 0)
		return "(not a number)";
	num_format(&n, buf);
	return buf;
}

static const char *
fmtd(double d)
{
	static char buf[NUM_BUFSIZE];

	num_format_double(d, buf);
	return buf;
}

int
main(void)
{
	struct num a, b, r;

	is_str(fmt("42"), "42", "integer");
	is_str(fmt("-0"), "0", "minus zero integer");
	is_str(fmt("+7"), "7", "leading plus");
	is_str(fmt("9223372036854775807"), "9223372036854775807", "INT64_MAX");
	is_str(fmt("-9223372036854775808"), "-9223372036854775808", "INT64_MIN");
	is_str(fmt("9223372036854775808"), "9.223372036854776e+18",
	    "INT64_MAX+1 becomes a double");
	is_str(fmt("2.5"), "2.5", "decimal");
	is_str(fmt(".5"), "0.5", "fraction alone");
	is_str(fmt("5."), "5", "trailing point");
	is_str(fmt("1e3"), "1e+03", "exponent: least precision, as the contract fixes it");
	is_str(fmt("-2.5E-3"), "-0.0025", "negative exponent");
	is_str(fmt("0.1"), "0.1", "0.1 is shortest");
	is_str(fmt("1e30"), "1e+30", "1e30");
	is_str(fmt("INF"), "inf", "inf any case");
	is_str(fmt("-Infinity"), "-inf", "-infinity");
	is_str(fmt("nan"), "nan", "nan");
	is_str(fmt("-nan"), "nan", "-nan is nan");
	is_str(fmt(""), "(not a number)", "empty");
	is_str(fmt("-"), "(not a number)", "sign alone");
	is_str(fmt("."), "(not a number)", "point alone");
	is_str(fmt("1e"), "(not a number)", "exponent without digits");
	is_str(fmt("0x10"), "(not a number)", "no hex");
	is_str(fmt("1,5"), "(not a number)", "no decimal comma");
	is_str(fmt("1 000"), "(not a number)", "no separators");
	is_str(fmt(" 1"), "(not a number)", "no blanks in num_parse");
	is_str(fmt("nanx"), "(not a number)", "nan with junk");
	ok(num_parse_blanks(" \t12\r", 5, &a) == 0 && a.is_int && a.i == 12,
	    "blanks and CR around");
	is_str(fmtd(6.25), "6.25", "6.25");
	is_str(fmtd(1.0 / 3), "0.3333333333333333", "1/3 needs 16 digits");
	is_str(fmtd(0.1 + 0.2), "0.30000000000000004", "0.1+0.2 needs 17");
	is_str(fmtd(-0.0), "-0", "negative zero double");
	is_str(fmtd(1e-300), "1e-300", "tiny");
	is_str(fmtd(5e-324), "5e-324", "denormal");
	is_str(fmtd(1.7976931348623157e308), "1.7976931348623157e+308",
	    "DBL_MAX");
	num_set_int(&a, INT64_MAX);
	num_set_int(&b, 1);
	num_add(&r, &a, &b);
	ok(!r.is_int, "INT64_MAX + 1 is a double");
	num_set_int(&a, 3037000499);
	num_mul(&r, &a, &a);
	ok(r.is_int && r.i == 9223372030926249001, "3037000499^2 exact");
	num_set_int(&a, 3037000500);
	num_mul(&r, &a, &a);
	ok(!r.is_int, "3037000500^2 overflows to a double");
	num_set_int(&a, 1);
	num_set_double(&b, 1.5);
	ok(num_cmp(&a, &b) < 0 && num_cmp(&b, &a) > 0, "compare mixed");
	return done_testing();
}
