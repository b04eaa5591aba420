/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The sampler (sampler.c): the tick that reads every tracked process and
 * cgroup, extends their histories, calls the detector and publishes the
 * tables' snapshots.
 *
 * Arrows: hooks -> tables <- sampler -> detector -> events -> outputs.
 */
#ifndef _MEMATTR_SAMPLER_H
#define _MEMATTR_SAMPLER_H

int memattr_sampler_start(void);
void memattr_sampler_sample_ms_changed(void);
void memattr_sampler_stop(void);

#endif /* _MEMATTR_SAMPLER_H */
