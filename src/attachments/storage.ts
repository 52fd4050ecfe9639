// Opens the object store STORAGE_URL names: the disk store by default, the S3 store for `s3://…`.
import type { StorageConfig } from '../config.ts';
import { DiskObjectStore } from './disk-store.ts';
import type { ObjectStore } from './object-store.ts';
import { S3ObjectStore } from './s3-store.ts';

export function openObjectStore(storage: StorageConfig): ObjectStore {
  if (storage.kind === 'disk') return new DiskObjectStore(storage.root);
  return new S3ObjectStore({
    bucket: storage.bucket,
    prefix: storage.prefix,
    endpoint: storage.endpoint,
    region: storage.region,
    forcePathStyle: storage.forcePathStyle,
    credentials: storage.credentials,
  });
}
