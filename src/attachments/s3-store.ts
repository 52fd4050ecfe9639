// The object store on any S3-compatible service (AWS S3, MinIO, Ceph RGW, Aliyun OSS, Tencent COS, …), for several
// app hosts sharing one set of attachments.
//
// Keys are stored under the configured prefix. A body of known length goes up in one PutObject (the service's limit
// for one request applies: 5 GiB on AWS, OSS and COS); a stream of unknown length goes up in parts of `partSize`
// bytes, one part in memory at a time (10,000 parts at most: about 78 GiB with the default 8 MiB parts). Checksums are only
// sent where the API requires them: the SDK's default CRC32 trailers (aws-chunked uploads) are not understood by
// many S3-compatible services and would be stored as part of the file. Anything that is not "no such key" — the
// endpoint unreachable or too slow, the bucket missing, credentials refused — becomes StorageUnavailableError (503).
import { pipeline, type Readable, Transform } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import {
  assertObjectKey,
  type ObjectInfo,
  type ObjectRead,
  type ObjectStore,
  type PutOptions,
  type RangeRequest,
  resolveRange,
  StorageUnavailableError,
} from './object-store.ts';

export interface S3StoreOptions {
  bucket: string;
  /** Folder-like prefix inside the bucket, without slashes at either end; empty for the bucket's root. */
  prefix: string;
  /** The service's address (`http://127.0.0.1:9000`); absent for AWS itself. */
  endpoint?: string | undefined;
  region: string;
  /** `bucket` in the path (MinIO, Ceph, s3rver) rather than in the host name (AWS, OSS, COS). */
  forcePathStyle: boolean;
  /** Absent: the SDK's usual sources (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, ~/.aws, an instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string } | undefined;
  /** Bytes per part of an upload of unknown length; at least 5 MiB on real services. */
  partSize?: number;
  /** Milliseconds to wait for a connection to the endpoint. */
  connectTimeoutMs?: number;
  /** Milliseconds a request may stay silent before it is given up. */
  requestTimeoutMs?: number;
}

const DEFAULT_PART_SIZE = 8 * 1024 * 1024;
const MAX_PARTS = 10_000;

/** Passes a stream through, failing it as soon as it is longer than `size`, or ends shorter. */
function exactLength(key: string, size: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      done(seen > size ? new Error(`Object ${key}: more than the ${size} bytes announced`) : null, chunk);
    },
    flush(done) {
      done(seen < size ? new Error(`Object ${key}: ${seen} bytes arrived, ${size} were announced`) : null);
    },
  });
}

/** Errors that say the object is not there (GET answers NoSuchKey; HEAD, having no body, a bare 404). */
function isMissing(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | null;
  if (e?.name === 'NoSuchKey' || e?.name === 'NotFound') return true;
  return e?.$metadata?.httpStatusCode === 404 && e.name !== 'NoSuchBucket';
}

export class S3ObjectStore implements ObjectStore {
  readonly location: string;
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly partSize: number;

  constructor(options: S3StoreOptions) {
    this.bucket = options.bucket;
    this.prefix = options.prefix.replace(/^\/+|\/+$/g, '');
    this.partSize = options.partSize ?? DEFAULT_PART_SIZE;
    this.location = `s3://${this.bucket}/${this.prefix}${options.endpoint ? ` (${options.endpoint})` : ''}`;
    this.client = new S3Client({
      region: options.region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      forcePathStyle: options.forcePathStyle,
      // A copy: the SDK marks the object it is given, and the configuration's is frozen.
      ...(options.credentials ? { credentials: { ...options.credentials } } : {}),
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      // One retry: a request waiting on storage holds a visitor, who is better told to come back.
      maxAttempts: 2,
      requestHandler: {
        connectionTimeout: options.connectTimeoutMs ?? 3000,
        requestTimeout: options.requestTimeoutMs ?? 10_000,
        // Without it the SDK only logs a warning and goes on waiting for a service that has stopped answering.
        throwOnRequestTimeout: true,
      },
    });
  }

  async put(key: string, body: Buffer | Readable, options: PutOptions): Promise<void> {
    const Key = this.objectKey(key);
    if (!Buffer.isBuffer(body) && options.size === undefined) return this.putInParts(Key, body, options.contentType);
    const ContentLength = Buffer.isBuffer(body) ? body.length : options.size!;
    // A stream that fails, ends early or runs on aborts the request, so the service never completes the object; the
    // stream's own error is what the caller gets (a client that went away is not a storage outage).
    const abort = new AbortController();
    let sourceError: unknown;
    const Body = Buffer.isBuffer(body)
      ? body
      : pipeline(body, exactLength(key, ContentLength), (error) => {
          if (!error) return;
          sourceError = error;
          abort.abort(error);
        });
    try {
      await this.client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key, Body, ContentLength, ContentType: options.contentType }),
        { abortSignal: abort.signal },
      );
    } catch (error) {
      if (sourceError) throw sourceError;
      if (!Buffer.isBuffer(body)) body.destroy();
      throw this.failure(error);
    }
  }

  /**
   * A stream of unknown length: one PutObject if it fits in one part, a multipart upload otherwise. The stream's own
   * errors come through as they are; the service's become StorageUnavailableError.
   */
  private async putInParts(Key: string, body: Readable, ContentType: string): Promise<void> {
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let uploadId: string | undefined;
    const parts: { ETag: string | undefined; PartNumber: number }[] = [];
    const sendPart = async () => {
      const Body = Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      if (!uploadId) {
        const created = await this.call(() =>
          this.client.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key, ContentType })),
        );
        uploadId = created.UploadId;
      }
      const PartNumber = parts.length + 1;
      if (PartNumber > MAX_PARTS) throw new Error(`Object ${Key} needs more than ${MAX_PARTS} parts`);
      const sent = await this.call(() =>
        this.client.send(new UploadPartCommand({ Bucket: this.bucket, Key, UploadId: uploadId, PartNumber, Body })),
      );
      parts.push({ ETag: sent.ETag, PartNumber });
    };
    try {
      // Leaving this loop by an error destroys the stream, so its sender is not left waiting.
      for await (const chunk of body) {
        pending.push(chunk as Buffer);
        pendingBytes += (chunk as Buffer).length;
        if (pendingBytes >= this.partSize) await sendPart();
      }
      if (!uploadId) {
        const Body = Buffer.concat(pending, pendingBytes);
        await this.call(() =>
          this.client.send(
            new PutObjectCommand({ Bucket: this.bucket, Key, Body, ContentLength: Body.length, ContentType }),
          ),
        );
        return;
      }
      if (pendingBytes > 0) await sendPart();
      await this.call(() =>
        this.client.send(
          new CompleteMultipartUploadCommand({
            Bucket: this.bucket,
            Key,
            UploadId: uploadId,
            MultipartUpload: { Parts: parts },
          }),
        ),
      );
    } catch (error) {
      if (uploadId) {
        await this.client
          .send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key, UploadId: uploadId }))
          .catch(() => undefined);
      }
      throw error;
    }
  }

  /** Runs a request to the service, turning its failure into StorageUnavailableError. */
  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw this.failure(error);
    }
  }

  async get(key: string, range?: RangeRequest): Promise<ObjectRead | null> {
    const Key = this.objectKey(key);
    try {
      let Range: string | undefined;
      let bytes;
      // The size is asked first so every service answers a range alike (s3rver, for one, reads `bytes=-n` as `0-n`).
      if (range) {
        const info = await this.head(key);
        if (!info) return null;
        bytes = resolveRange(range, info.size);
        if (!bytes) return { status: 416, size: info.size, contentType: info.contentType };
        Range = `bytes=${bytes.start}-${bytes.end}`;
      }
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key, Range }));
      const body = object.Body as Readable;
      const contentType = object.ContentType ?? 'application/octet-stream';
      if (!bytes) return { status: 200, body, size: object.ContentLength ?? 0, contentType };
      const total = Number(/\/(\d+)$/.exec(object.ContentRange ?? '')?.[1]);
      return { status: 206, body, size: Number.isFinite(total) ? total : 0, contentType, range: bytes };
    } catch (error) {
      if (isMissing(error)) return null;
      throw this.failure(error);
    }
  }

  async head(key: string): Promise<ObjectInfo | null> {
    const Key = this.objectKey(key);
    try {
      const object = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key }));
      return { size: object.ContentLength ?? 0, contentType: object.ContentType ?? 'application/octet-stream' };
    } catch (error) {
      if (isMissing(error)) return null;
      throw this.failure(error);
    }
  }

  async delete(key: string): Promise<void> {
    const Key = this.objectKey(key);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key }));
    } catch (error) {
      if (!isMissing(error)) throw this.failure(error);
    }
  }

  async check(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (error) {
      throw this.failure(error);
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  private objectKey(key: string): string {
    assertObjectKey(key);
    return this.prefix ? `${this.prefix}/${key}` : key;
  }

  private failure(error: unknown): unknown {
    if (error instanceof StorageUnavailableError) return error;
    return new StorageUnavailableError(this.location, error);
  }
}
