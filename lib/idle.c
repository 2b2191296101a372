/*
 * idle: the wait of a source whose input is idle (idle.h).
 */
#include <errno.h>
#include <poll.h>

#include "driver.h"
#include "idle.h"
#include "monotime.h"
#include "signals.h"
#include "writer.h"

enum flow
idle_wait(struct stage *chain, struct pollfd *pfd, int nown, int timeout_ms)
{
	long long due;
	int i, n, out, got;
	enum flow f;

	/* A signal that came before the poll would otherwise wait. */
	if ((f = driver_signals(chain)) != FLOW_GO)
		return f;
	if ((f = chain_flush(chain)) != FLOW_GO)
		return f;
	out = writer_watch(&pfd[nown]);
	n = nown + out;
	n += chain_wait_fds(chain, pfd + n, nown + IDLE_EXTRA - n);
	for (i = 0; i < n; i++)
		pfd[i].revents = 0;
	if ((due = chain_deadline(chain)) >= 0) {
		long long left = due - monotime_ms();

		if (left <= 0)
			return chain_wake(chain);
		if (timeout_ms < 0 || left < timeout_ms)
			timeout_ms = (int)left;
	}
	got = signals_poll(pfd, n, timeout_ms, SIGP_FATAL | SIGP_INFO);
	if (got < 0 && errno != EINTR) {
		/* the caller's reads will say what is wrong */
		for (i = 0; i < nown; i++)
			pfd[i].revents = POLLERR;
		return FLOW_GO;
	}
	if ((f = driver_signals(chain)) != FLOW_GO)
		return f;
	if (got < 0)
		for (i = 0; i < n; i++)
			pfd[i].revents = 0;
	/*
	 * The output's reader went away.  That ends the wait unless a stage
	 * has other outputs to serve (broadcast without -c drops standard
	 * output and goes on to its FILEs): the chain's flush tells.
	 */
	if (out && writer_watched(&pfd[nown]) != FLOW_GO &&
	    (f = chain_flush(chain)) != FLOW_GO)
		return f;
	if (due >= 0 && monotime_ms() >= due)
		return chain_wake(chain);
	return chain_wake_ready(chain, pfd + nown + out, n - nown - out);
}
