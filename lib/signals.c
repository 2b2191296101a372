#include <signal.h>
#include <string.h>

#include "signals.h"

volatile sig_atomic_t signal_fatal;
volatile sig_atomic_t signal_info;

static void
on_signal(int sig)
{
	if (sig == SIGUSR1)
		signal_info = 1;
	else if (signal_fatal == 0)
		signal_fatal = sig;
}

void
signals_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: a waiting read must wake */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

void
signals_reraise(void)
{
	int sig = signal_fatal;

	if (sig == 0)
		return;
	signal(sig, SIG_DFL);
	raise(sig);
}
