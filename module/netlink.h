/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _MEMATTR_NETLINK_H
#define _MEMATTR_NETLINK_H

int memattr_netlink_init(void);
void memattr_netlink_exit(void);

#endif /* _MEMATTR_NETLINK_H */
