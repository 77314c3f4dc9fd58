/*
 * lib/grants/clock.c - the one clock of the office (hj_now_us): every
 * record's time, every deadline comparison. Tests may fix it.
 */
#include <stdatomic.h>
#include <time.h>
#include "hojo/grants/audit.h"

static _Atomic int64_t fixed_us;

int64_t hj_now_us(void)
{
	int64_t f = atomic_load(&fixed_us);
	if (f)
		return f;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void hj_clock_set(int64_t us)
{
	atomic_store(&fixed_us, us);
}
