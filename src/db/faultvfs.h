/* faultvfs: a SQLite VFS shim for tests that can make every write fail as on
 * a read-only or failing disk, toggled at run time (serve --fault-injection,
 * then SIGUSR1). Reads pass through untouched. Never active unless asked. */
#ifndef CCHC_FAULTVFS_H
#define CCHC_FAULTVFS_H

/* Registers the shim as the default VFS. 0 or -1. */
int faultvfs_install(void);
/* Turns write failures on (1) or off (0). Async-signal-safe. */
void faultvfs_set_failing(int on);
int faultvfs_failing(void);

#endif
