#include "driver.h"
#include "stages.h"

int
main(int argc, char **argv)
{
	return stage_main(&broadcast_stage, argc, argv);
}
