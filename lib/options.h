/*
 * options.h: what every stage's option parser shares: re-entrant
 * getopt_long with GNU's messages under our own prefix, --help and
 * --version, and checked conversion of option arguments.
 */
#ifndef RUNNEL_OPTIONS_H
#define RUNNEL_OPTIONS_H

#include <getopt.h>
#include <stdint.h>

#include "stage.h"

#define RUNNEL_VERSION	"0.1.0"

/* Long-only options get values from here up, above every char. */
#define OPT_LONG	256
#define OPT_HELP	(OPT_LONG + 0)
#define OPT_VERSION	(OPT_LONG + 1)
#define OPT_LINEBUF	(OPT_LONG + 2)
#define OPT_DECOMPRESS	(OPT_LONG + 3)
#define OPT_NO_DECOMPRESS (OPT_LONG + 4)
#define OPT_FIRST_OWN	(OPT_LONG + 16)	/* a stage's own long-only options */

#define OPTIONS_HELP_VERSION \
	{ "help", no_argument, NULL, OPT_HELP }, \
	{ "version", no_argument, NULL, OPT_VERSION }
/*
 * Every stage's: --help, --version and the input's --decompress and
 * --no-decompress, which opt_next() takes itself (see stage_parse()).
 */
#define OPTIONS_COMMON \
	OPTIONS_HELP_VERSION, \
	{ "decompress", no_argument, NULL, OPT_DECOMPRESS }, \
	{ "no-decompress", no_argument, NULL, OPT_NO_DECOMPRESS }

struct opt_parser {
	int		 argc;
	char		**argv;
	const char	*prog;		/* message prefix */
	const struct stage_def *def;
	const char	*shortopts;	/* without the leading ':' */
	const struct option *longopts;
	char		 optstring[128];
	const char	*arg;		/* optarg of the last option */
};

void	opt_init(struct opt_parser *, const struct stage_def *, int argc,
	    char **argv, const char *prog, const char *shortopts,
	    const struct option *longopts);
/*
 * Parse argv with def->parse(), as an executable and pipe both do: the
 * options every stage shares that no stage handles itself
 * (--decompress, --no-decompress) land in (*out)->decompress.
 */
int	stage_parse(const struct stage_def *def, int argc, char **argv,
	    const struct parse_ctx *ctx, struct stage_args **out);
/*
 * The next option, as getopt_long returns it; -1 at the end.  An unknown
 * option or a missing argument is reported and returns '?'.  Inside
 * stage_parse(), --decompress and --no-decompress are taken here.
 */
int	opt_next(struct opt_parser *);
/* Index of the first operand once opt_next() returned -1. */
int	opt_index(const struct opt_parser *);
/* Handle --help and --version: returns PARSE_EXIT, or -1 if c is neither. */
int	opt_common(struct opt_parser *, int c);
/* The option that the last opt_next() returned, as the user spelled it. */
const char *opt_spelling(const struct opt_parser *, int c, char *buf,
	    size_t size);

/*
 * Checked conversions of the last option's argument; on failure they
 * write "PROG: invalid ARGUMENT for OPTION" style messages and return -1.
 */
int	opt_uint(struct opt_parser *, int c, uint64_t max, uint64_t *out);
int	opt_double(struct opt_parser *, int c, double *out);
int	opt_char(struct opt_parser *, int c, int *out);
/* Report a bad argument to option c: "invalid WHAT 'ARG'". */
void	opt_bad(struct opt_parser *, int c, const char *what);

/* Print "Usage: ..." for def on stdout. */
void	usage_print(const struct stage_def *);

#endif
