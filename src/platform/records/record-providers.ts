import { RecordChangeLog } from './record-history.js';
import { RecordLifecycle } from './record-lifecycle.js';
import { RecordMerger } from './record-merger.js';
import { RecordReader } from './record-reader.js';
import { RecordWriter } from './record-writer.js';
import { RecordService } from './record.service.js';

/** The record services every module shares; RecordService is the one they inject. */
export const RECORD_PROVIDERS = [
  RecordReader,
  RecordWriter,
  RecordMerger,
  RecordChangeLog,
  RecordLifecycle,
  RecordService,
];
