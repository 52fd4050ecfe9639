// Types of scripts/source-stamp.js (plain JavaScript, run by bin/liuyan.js before tsx is loaded).
export declare const ROOT: string;
export declare const DIST: string;
export declare const STAMP_FILE: string;
export declare function sourceStamp(root?: string): string;
export declare function distState(root?: string, dist?: string): 'fresh' | 'stale' | 'missing';
