/*
 * Unit tests for lib/words.c (sh word splitting without expansion) and
 * the sub-pipeline hook in lib/pipeline.c.
 */
#include <stdio.h>
#include <string.h>

#include "pipeline.h"
#include "tap.h"
#include "words.h"

/* The words of text joined as [w1][w2]..., '|' operators as <|>. */
static const char *
split(const char *text)
{
	static char out[512];
	struct words ws;
	char err[128];
	int line;
	size_t i, n = 0;

	if (words_split(text, strlen(text), &ws, err, sizeof(err),
	    &line) < 0) {
		snprintf(out, sizeof(out), "error %d: %s", line, err);
		words_free(&ws);
		return out;
	}
	out[0] = '\0';
	for (i = 0; i < ws.n; i++)
		n += snprintf(out + n, sizeof(out) - n,
		    ws.w[i].pipe ? "<|>" : "[%s]", ws.w[i].s);
	words_free(&ws);
	return out;
}

static int
special(const char *text)
{
	struct words ws;
	char err[128];
	int line, r;

	r = words_split(text, strlen(text), &ws, err, sizeof(err), &line);
	r = r < 0 ? -1 : ws.sh_special;
	words_free(&ws);
	return r;
}

static int
sub(const char *text)
{
	struct pipeline pl;
	struct parse_ctx ctx = { .prog = "pipe" };
	int r = pipeline_sub_parse(&pl, &ctx, "pipe", text);

	pipeline_free(&pl);
	return r;
}

int
main(void)
{
	is_str(split(""), "", "empty text");
	is_str(split(" \t\n "), "", "blanks only");
	is_str(split("a  b\tc\nd"), "[a][b][c][d]", "blanks and newlines separate");
	is_str(split("a|b"), "[a]<|>[b]", "| separates without blanks");
	is_str(split("a||b"), "[a]<|><|>[b]", "|| is two operators");
	is_str(split("'a|b' \"c|d\" e\\|f"), "[a|b][c|d][e|f]", "quoted | is a character");
	is_str(split("'a\\b\"c'"), "[a\\b\"c]", "single quotes keep everything");
	is_str(split("\"a\\\"b\\\\c\\$d\\`e\\nf\""), "[a\"b\\c$d`e\\nf]", "double-quote escapes");
	is_str(split("\"a\\\nb\""), "[ab]", "backslash-newline in double quotes");
	is_str(split("a\\\nb"), "[ab]", "backslash-newline outside quotes");
	is_str(split("a\\ b \\'c"), "[a b]['c]", "backslash quotes one byte");
	is_str(split("a\\"), "[a\\]", "trailing backslash stays");
	is_str(split("''"), "[]", "empty quoted word");
	is_str(split("a''b\"\"c"), "[abc]", "empty quotes join");
	is_str(split("# c\na #b\nc#d"), "[a][c#d]", "comments at word start only");
	is_str(split("a|#b\nc"), "[a]<|>[c]", "comment after |");
	is_str(split("$HOME * ~ $(id) `id`"), "[$HOME][*][~][$(id)][`id`]", "no expansion");
	is_str(split("'abc"), "error 1: unterminated single quote", "unterminated '");
	is_str(split("a\n\"b\n"), "error 2: unterminated double quote", "unterminated \" names its line");
	ok(special("printer -n | match x") == 0, "plain text is not sh-special");
	ok(special("printer '$HOME' \"*\"") == 0, "quoted $ and glob are not special");
	ok(special("printer $HOME") == 1, "$ is special");
	ok(special("printer \"$HOME\"") == 1, "$ in double quotes is special");
	ok(special("printer a;b") == 1, "; is special");
	ok(special("printer *.log") == 1, "glob is special");
	ok(special("printer ~/x") == 1, "tilde at word start is special");
	ok(special("printer a~b") == 0, "tilde inside a word is not");
	ok(sub("printer -n | printer -p 'x '") == 1, "runnel pipeline runs in-process");
	ok(sub("cat | printer") == 0, "a foreign command goes to sh");
	ok(sub("printer > out") == 0, "a redirection goes to sh");
	ok(sub("printer | printer $X") == 0, "a variable goes to sh");
	/* sh keeps a $ that starts no expansion: a pattern's anchor */
	ok(special("match -o \"[0-9-]+$\"") == 0, "$ before a closing \" is not special");
	ok(special("match x$ | printer") == 0, "$ before a blank is not special");
	ok(special("match 'a' x$") == 0, "$ at the end is not special");
	ok(special("match \"a$ b\"") == 0, "$ before a blank in \"\" is not special");
	ok(special("match \"$x\"") == 1, "$NAME in \"\" is special");
	ok(special("match \"${x}\"") == 1, "${ in \"\" is special");
	ok(special("match \"$(x)\"") == 1, "$( in \"\" is special");
	ok(special("match $1") == 1, "$1 is special");
	ok(special("match $?") == 1, "$? is special");
	ok(special("match $'a'") == 1, "$' outside quotes is special (bash)");
	ok(special("match \"a\\$b\"") == 0, "\\$ in \"\" is not special");
	ok(sub("match -o \"[0-9-]+$\"") == 1, "an anchored pattern runs in-process");
	return done_testing();
}
