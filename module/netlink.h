/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _MEMATTR_NETLINK_H
#define _MEMATTR_NETLINK_H

struct memattr_event;

int memattr_netlink_init(void);
void memattr_netlink_exit(void);
void memattr_netlink_event(const struct memattr_event *ev);

#endif /* _MEMATTR_NETLINK_H */
