/**
 * The framework's own floor for GET by id: NestJS on Fastify (the stack Relasi runs on) with
 * one controller running the same SELECT as the baseline and answering its row, and nothing
 * else — no authentication, guards, interceptors, pipes, logging or metrics. Between the
 * baseline (node:http) and Relasi, it splits the gap into what the framework costs and what
 * Relasi adds. Started by bench/run.ts as a child process.
 *
 * Environment: DATABASE_URL, PORT, BENCH_POOL_SIZE.
 */
import 'reflect-metadata';
import {
  BadRequestException,
  Controller,
  Get,
  Module,
  NotFoundException,
  Param,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';

const GET_SQL = 'SELECT c.* FROM contacts c WHERE c.id = $1 AND c.deleted_at IS NULL AND TRUE';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.BENCH_POOL_SIZE ?? 10),
});

@Controller()
class FloorController {
  @Get('health')
  health() {
    return { status: 'ok' };
  }

  @Get('api/v1/contacts/:id')
  async get(@Param('id') id: string) {
    if (!UUID.test(id)) throw new BadRequestException();
    const { rows } = await pool.query(GET_SQL, [id]);
    if (!rows[0]) throw new NotFoundException();
    return rows[0] as Record<string, unknown>;
  }
}

@Module({ controllers: [FloorController] })
class FloorModule {}

const app = await NestFactory.create<NestFastifyApplication>(FloorModule, new FastifyAdapter(), {
  logger: false,
});
await app.listen(Number(process.env.PORT), '127.0.0.1');

process.on('SIGTERM', () => {
  void app
    .close()
    .then(() => pool.end())
    .then(() => process.exit(0));
});
