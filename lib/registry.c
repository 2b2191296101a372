#include <stddef.h>
#include <string.h>

#include "stages.h"

static const struct stage_def *const registry[] = {
	&power_stage,
	&follow_stage,
	&match_stage,
	&broadcast_stage,
	&printer_stage,
};

const struct stage_def *
stage_lookup(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(registry) / sizeof(registry[0]); i++)
		if (strcmp(registry[i]->name, name) == 0)
			return registry[i];
	return NULL;
}
