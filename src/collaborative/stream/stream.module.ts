import { Module } from '@nestjs/common';
import { StreamAssignments } from './stream-assignments.js';
import { StreamController } from './stream.controller.js';
import { StreamHub } from './stream-hub.js';
import { StreamPublisher } from './stream-publisher.js';

/** The live stream: `GET /api/v1/stream` (Server-Sent Events), fed through StreamPublisher. */
@Module({
  controllers: [StreamController],
  providers: [StreamPublisher, StreamHub, StreamAssignments],
  exports: [StreamPublisher, StreamHub],
})
export class StreamModule {}
