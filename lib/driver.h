/*
 * driver.h: run a chain to its end.
 *
 * The driver feeds the first stage: a source stage runs itself; a filter
 * reads its FILE operands ("-" or none is stdin), file by file or as one
 * stream as its definition says.  A FILE that cannot be read is reported
 * as "PROG: FILE: REASON", marks the stage's input_error, and the other
 * FILEs are still read.  Before a read that would block the chain is
 * flushed; SIGUSR1 asks every stage for a report; SIGINT/SIGTERM stop the
 * reading.  Then the chain is closed front to back.
 */
#ifndef RUNNEL_DRIVER_H
#define RUNNEL_DRIVER_H

#include "stage.h"

/* The name grep and tail give to standard input in messages. */
#define STDIN_NAME	"(standard input)"

/*
 * Feed first (whose arguments are a) until the input ends or the chain
 * stops, then close the chain.  Returns the last flow seen.
 */
enum flow	driver_run(struct stage *first, const struct stage_args *a);

/*
 * Deal with what a signal left for the loop to do.  Returns FLOW_STOP
 * when a fatal signal came.  For sources that wait on their own.
 */
enum flow	driver_signals(struct stage *first);

/*
 * The whole life of an executable: parse, build [stage, writer], run,
 * and return the exit status (or die by the fatal signal that came).
 */
int		stage_main(const struct stage_def *, int argc, char **argv);
/*
 * What a main does before anything else (stage_main() does it; pipe's
 * main too): hold a closed fd 0, 1 or 2 with /dev/null opened so that
 * reads (0) and writes (1, 2) fail with EBADF as before and no file
 * opened later lands there; take LC_CTYPE and LC_TIME from the
 * environment (LC_NUMERIC stays "C"); install the signal handlers.
 */
void		driver_start(void);

#endif
