/*
 * signals.h: SIGINT, SIGTERM and SIGUSR1 become flags that the loops
 * test when a blocking call returns EINTR (installed without SA_RESTART);
 * SIGPIPE is ignored so that a closed output shows up as EPIPE.
 */
#ifndef RUNNEL_SIGNALS_H
#define RUNNEL_SIGNALS_H

#include <signal.h>

extern volatile sig_atomic_t signal_fatal;	/* SIGINT or SIGTERM seen */
extern volatile sig_atomic_t signal_info;	/* SIGUSR1 seen, not handled */

void	signals_install(void);
/* After the chain is closed: die by the fatal signal, if one came. */
void	signals_reraise(void);

#endif
