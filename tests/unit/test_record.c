/* Unit tests for the record layer (lib/record*.c). */
#include <stdlib.h>
#include <string.h>

#include "record_int.h"
#include "tap.h"

static char got[4096];

/* Field name of line in format k, as text; "<none>" when missing. */
static const char *
get(enum record_kind k, const char *line, const char *name)
{
	struct record_fmt f;
	struct record r;
	struct rfield fl;
	struct rspan s;
	const char *t;
	size_t n;

	record_fmt_init(&f);
	f.kind = k;
	memset(&fl, 0, sizeof(fl));
	fl.name = name;
	fl.namelen = strlen(name);
	fl.clf = clf_index(name, fl.namelen, 1);
	record_init(&r, &f, -1);
	if (rfield_find(&r, line, strlen(line), &fl, &s) < 0) {
		record_free(&r);
		return "<none>";
	}
	t = rspan_text(&r, &s, &n);
	memcpy(got, t, n);
	got[n] = '\0';
	record_free(&r);
	return got;
}

/* The raw span, as power rewrites it. */
static const char *
span(enum record_kind k, const char *line, const char *name)
{
	struct record_fmt f;
	struct record r;
	struct rfield fl = { 0, name, strlen(name), clf_index(name,
	    strlen(name), 1) };
	struct rspan s;

	record_fmt_init(&f);
	f.kind = k;
	record_init(&r, &f, -1);
	if (rfield_find(&r, line, strlen(line), &fl, &s) < 0)
		strcpy(got, "<none>");
	else
		snprintf(got, sizeof(got), "%zu:%.*s", (size_t)(s.p - line),
		    (int)s.len, s.p);
	record_free(&r);
	return got;
}

static const char *combined =
    "1.2.3.4 - frank [10/Oct/2000:13:55:36 -0700] \"GET /a\\\"b c HTTP/1.0\" "
    "200 2326 \"http://x/\" \"Mozilla/4.0 (compat; \\\"q\\\")\"";

static void
test_clf(void)
{
	is_str(get(RECORD_COMBINED, combined, "host"), "1.2.3.4", "host");
	is_str(get(RECORD_COMBINED, combined, "user"), "frank", "user");
	is_str(get(RECORD_COMBINED, combined, "time"),
	    "10/Oct/2000:13:55:36 -0700", "time between brackets");
	is_str(get(RECORD_COMBINED, combined, "request"),
	    "GET /a\"b c HTTP/1.0", "request unquoted, \\\" honoured");
	is_str(get(RECORD_COMBINED, combined, "method"), "GET", "method");
	is_str(get(RECORD_COMBINED, combined, "path"), "/a\"b", "path");
	is_str(get(RECORD_COMBINED, combined, "protocol"), "c", "3rd word");
	is_str(get(RECORD_COMBINED, combined, "status"), "200", "status");
	is_str(get(RECORD_COMBINED, combined, "bytes"), "2326", "bytes");
	is_str(get(RECORD_COMBINED, combined, "referer"), "http://x/",
	    "referer");
	is_str(get(RECORD_COMBINED, combined, "agent"),
	    "Mozilla/4.0 (compat; \"q\")", "agent");
	is_str(get(RECORD_COMBINED, "h - - [t] \"GET / HTTP/1.1\" 404 -",
	    "referer"), "<none>", "a common line has no referer");
	is_str(get(RECORD_COMMON, "h - - [t] \"GET / HTTP/1.1\" 404 -",
	    "bytes"), "-", "common bytes");
	is_str(get(RECORD_COMBINED, "h - - [t] \"GET / HTTP/1.1\" 404",
	    "host"), "<none>", "no bytes: no fields");
	is_str(get(RECORD_COMBINED, "h - - [t] \"GET / HTTP/1.1 404 5",
	    "status"), "<none>", "unclosed quote");
	is_str(get(RECORD_COMBINED, "h - - [t] \"a\\\\\" 404 5", "request"),
	    "a\\", "\\\\ before the closing quote");
	is_str(get(RECORD_COMBINED, "h - - [t] \"-\" 400 0", "path"),
	    "<none>", "a request of one word has no path");
	is_str(span(RECORD_COMBINED, "h - - [t] \"G\" 1 22", "bytes"),
	    "16:22", "span of bytes");
}

static void
test_json(void)
{
	is_str(get(RECORD_JSON, "{\"a\":\"x\\ty\"}", "a"), "x\ty", "escape");
	is_str(get(RECORD_JSON, "{\"a\":\"caf\\u00e9\"}", "a"), "caf\xc3\xa9",
	    "\\u00e9");
	is_str(get(RECORD_JSON, "{\"a\":\"\\ud83d\\ude00\"}", "a"),
	    "\xf0\x9f\x98\x80", "surrogate pair");
	is_str(get(RECORD_JSON, "{\"a\":\"\\ud83d\"}", "a"), "<none>",
	    "lone surrogate: not JSON");
	is_str(get(RECORD_JSON, "{\"a\":{\"b\":[1,{\"c\":2}],\"c\":3}}", "a.c"),
	    "3", "nested a.c");
	is_str(get(RECORD_JSON, "{\"a\":{\"b\":1}}", "a"), "{\"b\":1}",
	    "an object is its text");
	is_str(get(RECORD_JSON, "{\"n\":1e3,\"m\":-0.5}", "n"), "1e3",
	    "number as written");
	is_str(get(RECORD_JSON, "{\"n\":1e3,\"m\":-0.5}", "m"), "-0.5", "-0.5");
	is_str(get(RECORD_JSON, "{\"t\":true,\"f\":false,\"z\":null}", "z"),
	    "null", "null");
	is_str(get(RECORD_JSON, "{\"k\":1,\"k\":2}", "k"), "2",
	    "repeated key: the last");
	is_str(get(RECORD_JSON, "{\"a\":{\"b\":1},\"a\":2}", "a.b"), "<none>",
	    "repeated parent: the last");
	is_str(get(RECORD_JSON, "{\"a\":1,}", "a"), "<none>", "trailing ,");
	is_str(get(RECORD_JSON, "{\"a\":1} x", "a"), "<none>", "garbage after");
	is_str(get(RECORD_JSON, "{\"a\":01}", "a"), "<none>", "leading 0");
	is_str(get(RECORD_JSON, "{\"a\":\"\xff\"}", "a"), "<none>",
	    "invalid UTF-8");
	is_str(get(RECORD_JSON, "{\"a\":\"\xc3\xa9\"}", "a"), "\xc3\xa9",
	    "UTF-8");
	is_str(get(RECORD_JSON, "{\"a\":123456789012345678901234}", "a"),
	    "<none>", "too big an integer (jansson)");
	is_str(get(RECORD_JSON, "{\"k\\u0065y\":5}", "key"), "5",
	    "escaped key");
	is_str(get(RECORD_JSON, " {\"a\" : \"b\" }\r", "a"), "b", "blanks, CR");
	is_str(span(RECORD_JSON, "{\"a\":\"12\"}", "a"), "6:12",
	    "a string's span is inside its quotes");
	is_str(get(RECORD_JSON, "[1]", "a"), "<none>", "an array");
}

static void
test_logfmt(void)
{
	const char *l = "level=info msg=\"a \\\"b\\\" c\" debug empty= n=5";

	is_str(get(RECORD_LOGFMT, l, "level"), "info", "bare value");
	is_str(get(RECORD_LOGFMT, l, "msg"), "a \"b\" c", "quoted value");
	is_str(get(RECORD_LOGFMT, l, "debug"), "", "bare key: empty");
	is_str(get(RECORD_LOGFMT, l, "empty"), "", "key=");
	is_str(get(RECORD_LOGFMT, l, "n"), "5", "last pair");
	is_str(get(RECORD_LOGFMT, l, "x"), "<none>", "missing");
	is_str(get(RECORD_LOGFMT, "a=1 a=2", "a"), "2", "repeated: last");
	is_str(get(RECORD_LOGFMT, "a=\"1 b=2", "b"), "<none>", "unclosed");
	is_str(get(RECORD_LOGFMT, "a=\"1\"x b=2", "b"), "<none>",
	    "byte after quote");
}

static void
test_detect(void)
{
	is_str(get(RECORD_AUTO, "{\"status\":5}", "status"), "5", "json");
	is_str(get(RECORD_AUTO, "status=5 x=1", "status"), "5", "logfmt");
	is_str(get(RECORD_AUTO, "h - - [t] \"GET / HTTP/1.1\" 404 -",
	    "status"), "404", "common");
	is_str(get(RECORD_AUTO, "hello world", "status"), "<none>", "none");
}

int
main(void)
{
	test_clf();
	test_json();
	test_logfmt();
	test_detect();
	return done_testing();
}
