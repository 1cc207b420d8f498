import {
  BadRequestException,
  Controller,
  Get,
  HttpCode,
  HttpException,
  HttpStatus,
  Inject,
  Logger,
  NotFoundException,
  Param,
  Post,
  Query,
  Req,
  Res,
  ServiceUnavailableException,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiProperty, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { unlink } from 'node:fs/promises';
import { isUuid } from '@leadstream/contracts';
import { CSV_ENCODINGS, describeDelimiter } from '@leadstream/domain-intake';
import { RequireScope, type AuthenticatedRequest } from '@leadstream/platform-access';
import { CsvImportRepository, type CsvImportRecord } from './csv-import.repository';
import { CsvImportRunner } from './csv-import.runner';
import { csvLine } from './csv-text';
import { IMPORT_SETTINGS, type ImportSettings } from './import-settings';
import { spoolUpload, UploadRefused, type SpooledUpload } from './upload-spool';

export class ImportAcceptedDto {
  @ApiProperty({ format: 'uuid', description: 'Id of the import: poll GET /v1/imports/{importId}' })
  importId!: string;
}

export class ImportStatusDto {
  @ApiProperty({ format: 'uuid' }) importId!: string;
  @ApiProperty({ enum: ['running', 'completed', 'failed'] }) status!: 'running' | 'completed' | 'failed';
  @ApiPropertyOptional({ description: 'File name given in a multipart upload' }) fileName?: string;
  @ApiProperty({ description: 'Data rows read so far (the header is not a row)' }) rowsRead!: number;
  @ApiProperty({ description: 'Rows published as lead.received' }) accepted!: number;
  @ApiProperty({ description: 'Rows refused (lead.rejected; listed at /v1/imports/{id}/rejected)' }) rejected!: number;
  @ApiProperty({ description: 'Share of the file processed, 0..1 (by bytes)', minimum: 0, maximum: 1 }) progress!: number;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiPropertyOptional({ format: 'date-time' }) finishedAt?: string;
  @ApiPropertyOptional({ description: 'Remark on a completed import, e.g. that the file was empty' }) note?: string;
  @ApiPropertyOptional({ description: 'Why a failed import failed' }) error?: string;
  @ApiProperty({ enum: CSV_ENCODINGS, description: "The file's text encoding" }) encoding!: string;
  @ApiProperty({ enum: ['charset', 'detected'], description: 'Whether the upload named the encoding (a charset parameter) or it was detected from the bytes' })
  encodingSource!: 'charset' | 'detected';
  @ApiPropertyOptional({ enum: [',', ';', '\t'], description: 'The delimiter detected from the header (absent until the import read it)' }) delimiter?: string;
  @ApiPropertyOptional({ enum: ['comma', 'semicolon', 'tab'], description: 'The delimiter by name' }) delimiterName?: string;
}

export class ImportListDto {
  @ApiProperty({ type: [ImportStatusDto], description: 'Imports, newest first' }) imports!: ImportStatusDto[];
  @ApiPropertyOptional({ description: 'Pass as ?cursor= for the next page; absent on the last page' }) nextCursor?: string;
}

const DEFAULT_LIST_LIMIT = 20;
const MAX_LIST_LIMIT = 100;

function listLimit(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_LIST_LIMIT;
  const limit = /^\d{1,4}$/.test(raw) ? Number(raw) : NaN;
  if (!(limit >= 1 && limit <= MAX_LIST_LIMIT)) {
    throw new BadRequestException(`limit: must be a whole number from 1 to ${MAX_LIST_LIMIT}, got ${JSON.stringify(String(raw).slice(0, 20))}`);
  }
  return limit;
}

// Rejected rows are read from the database this many at a time while the CSV is written out.
const REJECTED_PAGE_ROWS = 1_000;

/** Resolves when the response can take more (or is gone: then writing stops at the next check). */
async function drained(response: ServerResponse): Promise<void> {
  if (response.destroyed) throw new Error('the client went away');
  await new Promise<void>((resolve) => {
    const done = (): void => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
  if (response.destroyed) throw new Error('the client went away');
}

function checkId(id: string): void {
  if (!isUuid(id)) throw new BadRequestException(`import id must be a UUID such as the importId POST /v1/imports answered, got ${JSON.stringify(String(id).slice(0, 100))}`);
}

function toStatus(record: CsvImportRecord): ImportStatusDto {
  const done = record.status !== 'running';
  const progress = done ? 1 : record.bytesTotal === 0 ? 0 : Math.min(0.999, record.bytesDone / record.bytesTotal);
  return {
    importId: record.id,
    status: record.status,
    ...(record.originalName ? { fileName: record.originalName } : {}),
    rowsRead: record.rowsRead,
    accepted: record.accepted,
    rejected: record.rejected,
    progress: record.status === 'completed' ? 1 : Math.round(progress * 1000) / 1000,
    startedAt: record.createdAt.toISOString(),
    ...(record.finishedAt ? { finishedAt: record.finishedAt.toISOString() } : {}),
    ...(record.note ? { note: record.note } : {}),
    ...(record.error ? { error: record.error } : {}),
    encoding: record.encoding,
    encodingSource: record.encodingSource,
    ...(record.delimiter === null ? {} : { delimiter: record.delimiter, delimiterName: describeDelimiter(record.delimiter) }),
  };
}

@ApiTags('imports')
@ApiBearerAuth()
@Controller('v1/imports')
export class ImportsController {
  private readonly logger = new Logger('CsvImport');

  constructor(
    private readonly repository: CsvImportRepository,
    private readonly runner: CsvImportRunner,
    @Inject(IMPORT_SETTINGS) private readonly settings: ImportSettings,
  ) {}

  @Post()
  @HttpCode(202)
  @RequireScope('ingest')
  @ApiOperation({
    summary: 'Import a CSV file of leads',
    description:
      'The file comes as a text/csv body or as a multipart/form-data upload in the field "file". It is streamed to disk, never held in ' +
      'memory, and 202 answers once it is stored durably; the rows are then validated and published in the background. The first line ' +
      'is the header; column names map to lead fields by aliases ("E-mail", "Company Name", ...). Each row is identified by the import ' +
      'id and its line number, so an import interrupted by a restart resumes without losing or duplicating a row.',
  })
  @ApiConsumes('text/csv', 'multipart/form-data')
  @ApiBody({
    required: true,
    description: 'The CSV file: the whole body (text/csv), or the part named "file" of a multipart/form-data upload',
    schema: { type: 'string', format: 'binary' },
  })
  @ApiResponse({ status: 202, type: ImportAcceptedDto, description: 'The file is stored; poll GET /v1/imports/{importId}' })
  @ApiResponse({ status: 400, description: 'A malformed multipart body, or an upload cut short' })
  @ApiResponse({ status: 413, description: 'The file is larger than INGESTION_MAX_IMPORT_BYTES' })
  @ApiResponse({ status: 415, description: 'Neither text/csv nor multipart/form-data' })
  @ApiResponse({ status: 401, description: 'No API key, or an unknown one' })
  @ApiResponse({ status: 403, description: 'The key lacks the ingest scope' })
  @ApiResponse({ status: 503, description: 'The database is not connected: nothing was recorded, retry after Retry-After seconds' })
  async create(@Req() request: IncomingMessage, @Res({ passthrough: true }) response: ServerResponse): Promise<ImportAcceptedDto> {
    if (!this.repository.isConnected()) {
      response.setHeader('Retry-After', '5');
      throw new ServiceUnavailableException('the import cannot be recorded now: the database is not connected yet; retry later');
    }
    let upload: SpooledUpload;
    try {
      upload = await spoolUpload(request, { contentType: request.headers['content-type'], directory: this.settings.directory, maxBytes: this.settings.maxBytes });
    } catch (error) {
      if (error instanceof UploadRefused) {
        if (error.status === 413) response.setHeader('Connection', 'close');
        throw new HttpException({ statusCode: error.status, error: error.status === 413 ? 'Payload Too Large' : error.status === 415 ? 'Unsupported Media Type' : 'Bad Request', message: error.message }, error.status);
      }
      if (request.destroyed || (request as IncomingMessage & { aborted?: boolean }).aborted) {
        throw new BadRequestException('the upload was interrupted before the whole file arrived; nothing was imported');
      }
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOSPC' || code === 'EDQUOT') {
        throw new HttpException({ statusCode: 507, error: 'Insufficient Storage', message: 'ingestion has no disk space left for the upload; retry later' }, 507);
      }
      throw error;
    }
    let record: CsvImportRecord;
    try {
      const key = (request as IncomingMessage & AuthenticatedRequest).apiKey;
      const apiKeyOwner = key ? `${key.name} (${key.id})` : undefined;
      record = await this.repository.create({
        id: upload.importId,
        filePath: upload.filePath,
        originalName: upload.originalName,
        apiKeyOwner,
        bytesTotal: upload.bytes,
        encoding: upload.encoding,
        encodingSource: upload.encodingSource,
      });
    } catch (error) {
      await unlink(upload.filePath).catch(() => undefined);
      this.logger.warn(`import could not be recorded: ${error instanceof Error ? error.message : String(error)}`);
      response.setHeader('Retry-After', '5');
      throw new ServiceUnavailableException('the import could not be recorded (database unavailable); nothing was imported, retry later');
    }
    this.runner.start(record);
    return { importId: record.id };
  }

  @Get()
  @RequireScope('read')
  @ApiOperation({ summary: 'The imports, newest first, with file name, status and counts; paged by cursor' })
  @ApiQuery({ name: 'limit', required: false, description: `Imports per page, 1 to ${MAX_LIST_LIMIT} (default ${DEFAULT_LIST_LIMIT})` })
  @ApiQuery({ name: 'cursor', required: false, description: 'The nextCursor of the previous page' })
  @ApiResponse({ status: 200, type: ImportListDto })
  @ApiResponse({ status: 400, description: 'limit out of range, or a cursor that names no import' })
  async list(@Query('limit') rawLimit?: string, @Query('cursor') cursor?: string): Promise<ImportListDto> {
    const limit = listLimit(rawLimit);
    if (cursor !== undefined && !isUuid(cursor)) {
      throw new BadRequestException(`cursor: must be the nextCursor of an earlier page, got ${JSON.stringify(String(cursor).slice(0, 100))}`);
    }
    // One more than asked tells whether there is a next page.
    const records = await this.repository.list(limit + 1, cursor);
    if (records === undefined) throw new BadRequestException(`cursor: no import with id ${cursor}; start again without a cursor`);
    const page = records.slice(0, limit);
    return { imports: page.map(toStatus), ...(records.length > limit ? { nextCursor: (page[page.length - 1] as CsvImportRecord).id } : {}) };
  }

  @Get(':id')
  @RequireScope('read')
  @ApiOperation({ summary: "An import's status, counts and progress" })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: ImportStatusDto })
  @ApiResponse({ status: 400, description: 'The id is not a UUID' })
  @ApiResponse({ status: 404, description: 'No import has this id' })
  async status(@Param('id') id: string): Promise<ImportStatusDto> {
    checkId(id);
    const record = await this.repository.find(id);
    if (!record) throw new NotFoundException(`no import with id ${id}`);
    return toStatus(record);
  }

  @Get(':id/rejected')
  @RequireScope('read')
  @ApiOperation({ summary: 'The rejected rows of an import as CSV: line,reason,row (the row as it was read, CSV-quoted)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiProduces('text/csv')
  @ApiResponse({ status: 200, description: 'text/csv with the header line,reason,row' })
  @ApiResponse({ status: 400, description: 'The id is not a UUID' })
  @ApiResponse({ status: 404, description: 'No import has this id' })
  async rejected(@Param('id') id: string, @Res() response: ServerResponse): Promise<void> {
    checkId(id);
    const record = await this.repository.find(id);
    if (!record) throw new NotFoundException(`no import with id ${id}`);
    let page = await this.repository.rejectedRows(id, 0, REJECTED_PAGE_ROWS);
    response.statusCode = HttpStatus.OK;
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename="import-${id}-rejected.csv"`);
    response.write(csvLine(['line', 'reason', 'row']));
    try {
      while (page.length > 0) {
        for (const row of page) {
          if (!response.write(csvLine([String(row.line), row.reason, row.raw ?? '']))) await drained(response);
        }
        if (page.length < REJECTED_PAGE_ROWS) break;
        page = await this.repository.rejectedRows(id, (page[page.length - 1] as { line: number }).line, REJECTED_PAGE_ROWS);
      }
    } catch (error) {
      // The status line is sent: all that can be done is to cut the response short, visibly.
      this.logger.warn(`rejected rows of import ${id} were cut short: ${error instanceof Error ? error.message : String(error)}`);
      response.destroy();
      return;
    }
    response.end();
  }
}
