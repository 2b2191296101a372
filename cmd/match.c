#include "driver.h"
#include "stages.h"

int
main(int argc, char **argv)
{
	return stage_main(&match_stage, argc, argv);
}
