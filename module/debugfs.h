/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _MEMATTR_DEBUGFS_H
#define _MEMATTR_DEBUGFS_H

int memattr_debugfs_init(void);
void memattr_debugfs_exit(void);

#endif /* _MEMATTR_DEBUGFS_H */
