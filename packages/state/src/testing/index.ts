/** Helpers for other packages' tests (never published): a real full disk. */
export { fillDisk, mountSmallDisk, type SmallDisk } from './full-disk';
