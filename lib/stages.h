/*
 * stages.h: the stage definitions, one per command, and the registry
 * that pipe looks names up in.
 */
#ifndef RUNNEL_STAGES_H
#define RUNNEL_STAGES_H

#include "stage.h"

extern const struct stage_def power_stage;
extern const struct stage_def follow_stage;
extern const struct stage_def match_stage;
extern const struct stage_def broadcast_stage;
extern const struct stage_def printer_stage;

/* The definition called name, or NULL. */
const struct stage_def	*stage_lookup(const char *name);

#endif
