import { ContractViolation, DomainError, parseEvent } from '@leadstream/contracts';
import { KafkaJSConnectionError, KafkaJSError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { classifyError, describeError, PermanentError, TransientError } from './errors';

class NoMatchKey extends DomainError {
  readonly code = 'DEDUPE.NO_MATCH_KEY' as const;
}

function pgError(code: string, message = 'pg says no'): Error {
  return Object.assign(new Error(message), { code, severity: 'ERROR' });
}

describe('classifyError', () => {
  describe('given an error that says what it is', () => {
    it.each([
      ['TransientError', new TransientError('db down'), 'transient'],
      ['PermanentError', new PermanentError('bad rule'), 'permanent'],
      ['a plain object with kind transient', { kind: 'transient' }, 'transient'],
      ['a plain object with kind permanent', { kind: 'permanent' }, 'permanent'],
      ['a DomainError subclass', new NoMatchKey('no email'), 'permanent'],
      ['a ContractViolation', new ContractViolation('data.lead.email', 'data.lead.email is required'), 'permanent'],
      ['an error coded like the project codes (AREA.CODE)', Object.assign(new Error('x'), { code: 'ROUTING.NO_RULE' }), 'permanent'],
    ])('when it is %s then it is %s', (_name, err, kind) => {
      expect(classifyError(err)).toBe(kind);
    });

    it('classifies what parseEvent throws on malformed JSON as permanent', () => {
      let thrown: unknown;
      try {
        parseEvent(Buffer.from('{"type": "lead.received",'));
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(ContractViolation);
      expect(classifyError(thrown)).toBe('permanent');
    });
  });

  describe('given a PostgreSQL error', () => {
    it.each([
      ['08006', 'connection failure'],
      ['08001', 'cannot establish connection'],
      ['57P01', 'admin shutdown'],
      ['57P03', 'cannot connect now'],
      ['40001', 'serialization failure'],
      ['40P01', 'deadlock detected'],
      ['53300', 'too many connections'],
    ])('SQLSTATE %s (%s) is transient', (code) => {
      expect(classifyError(pgError(code))).toBe('transient');
    });

    it.each([
      ['22P02', 'invalid text representation'],
      ['22001', 'string data right truncation'],
      ['23505', 'unique violation'],
      ['23503', 'foreign key violation'],
      ['23502', 'not null violation'],
    ])('SQLSTATE %s (%s) is permanent', (code) => {
      expect(classifyError(pgError(code))).toBe('permanent');
    });

    it('looks through TypeORM QueryFailedError.driverError', () => {
      const queryFailed = Object.assign(new Error('insert failed'), { name: 'QueryFailedError', driverError: pgError('23514') });
      expect(classifyError(queryFailed)).toBe('permanent');
      const lostConnection = Object.assign(new Error('insert failed'), { name: 'QueryFailedError', driverError: pgError('57P01') });
      expect(classifyError(lostConnection)).toBe('transient');
    });

    it('leaves other classes (42xxx, a schema bug) to the transient default: blocking beats dead-lettering everything', () => {
      expect(classifyError(pgError('42P01', 'relation "leads" does not exist'))).toBe('transient');
    });
  });

  describe('given a network failure', () => {
    it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH'])('%s is transient', (code) => {
      expect(classifyError(Object.assign(new Error(`connect ${code} 127.0.0.1:5433`), { code, errno: -111, syscall: 'connect' }))).toBe('transient');
    });

    it('an AggregateError of refused connections (IPv4 and IPv6 tried) is transient', () => {
      const refused = (address: string) => Object.assign(new Error(`connect ECONNREFUSED ${address}`), { code: 'ECONNREFUSED' });
      expect(classifyError(new AggregateError([refused('::1:5433'), refused('127.0.0.1:5433')]))).toBe('transient');
    });

    it('an error caused by a refused connection is transient', () => {
      expect(classifyError(new Error('could not save', { cause: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }) }))).toBe('transient');
    });
  });

  describe('given a kafkajs error', () => {
    it('a connection error is transient', () => {
      expect(classifyError(new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092'))).toBe('transient');
    });

    it('retries exhausted is transient, although kafkajs marks it non-retriable', () => {
      const exhausted = new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionError('Connection timeout'), { retryCount: 5, retryTime: 2000 });
      expect((exhausted as unknown as { retriable: boolean }).retriable).toBe(false);
      expect(classifyError(exhausted)).toBe('transient');
    });

    it('a protocol error follows the broker-given retriable flag', () => {
      const tooLarge = new KafkaJSProtocolError(
        Object.assign(new Error('The request included a message larger than the max message size the server will accept'), {
          type: 'MESSAGE_TOO_LARGE',
          code: 10,
          retriable: false,
        }) as unknown as string,
      );
      expect(classifyError(tooLarge)).toBe('permanent');
      const notLeader = new KafkaJSProtocolError(
        Object.assign(new Error('This server is not the leader for that topic-partition'), {
          type: 'NOT_LEADER_FOR_PARTITION',
          code: 6,
          retriable: true,
        }) as unknown as string,
      );
      expect(classifyError(notLeader)).toBe('transient');
    });

    it('a non-retriable wrapper of a retriable cause is transient', () => {
      const wrapped = new (KafkaJSNonRetriableError as unknown as new (m: string, o: { cause: unknown }) => Error)('gave up', {
        cause: new KafkaJSError('socket hang up', { retriable: true }),
      });
      expect(classifyError(wrapped)).toBe('transient');
    });

    it('a plain non-retriable kafkajs error is permanent', () => {
      expect(classifyError(new KafkaJSNonRetriableError('Invalid topic'))).toBe('permanent');
    });
  });

  describe('given something nobody classified', () => {
    it.each([
      ['an Error', new Error('something odd')],
      ['a TypeError from a handler bug', new TypeError("Cannot read properties of undefined (reading 'email')")],
      ['a string', 'boom'],
      ['undefined', undefined],
      ['null', null],
    ])('%s is transient: retrying never loses data', (_name, err) => {
      expect(classifyError(err)).toBe('transient');
    });

    it('follows the cause chain to the first verdict', () => {
      expect(classifyError(new Error('outer', { cause: new Error('middle', { cause: new PermanentError('inner') }) }))).toBe('permanent');
    });

    it('survives a cause cycle', () => {
      const a = new Error('a') as Error & { cause?: unknown };
      const b = new Error('b', { cause: a });
      a.cause = b;
      expect(classifyError(a)).toBe('transient');
    });
  });
});

describe('describeError', () => {
  it('names the error, its code and its message on one line', () => {
    expect(describeError(new ContractViolation('data.lead.email', 'data.lead.email is required'))).toBe(
      'ContractViolation [CONTRACT.INVALID_EVENT]: data.lead.email is required',
    );
    expect(describeError(pgError('23505', 'duplicate key value violates unique constraint "leads_pkey"'))).toBe(
      'Error [23505]: duplicate key value violates unique constraint "leads_pkey"',
    );
    expect(describeError('plain words')).toBe('plain words');
  });
});
