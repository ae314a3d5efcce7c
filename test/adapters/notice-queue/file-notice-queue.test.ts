import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileNoticeQueue } from '../../../functions/adapters/notice-queue/file-notice-queue.js';
import type { NoticeRecord } from '../../../functions/app/notice-replay.js';
import { CALL, confirmation, OTHER_CALL, page } from './fixtures.js';

const fresh = () => join(mkdtempSync(join(tmpdir(), 'notices-')), 'notices.jsonl');

describe('FileNoticeQueue', () => {
  it('keeps one notice per key however often it is queued, across instances (a restart)', async () => {
    const file = fresh();
    const q = new FileNoticeQueue(file);
    for (let i = 0; i < 5; i++) await q.enqueue(confirmation());
    await new FileNoticeQueue(file).enqueue(confirmation());
    await q.enqueue(page());
    await q.enqueue(confirmation(OTHER_CALL));
    const pending = await new FileNoticeQueue(file).pending();
    expect(pending.map((r) => r.notice.key)).toEqual([`confirm#${CALL}`, `page#${CALL}`, `confirm#${OTHER_CALL}`]);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(3);
  });

  it('a drain hands each notice over once; failures stay for the next drain, bad lines are set aside', async () => {
    const file = fresh();
    const q = new FileNoticeQueue(file);
    await q.enqueue(confirmation());
    await q.enqueue(page());
    writeFileSync(file, `${readFileSync(file, 'utf8')}not json\n`);
    const seen: NoticeRecord[] = [];
    const first = await q.drain(async (r) => {
      seen.push(r);
      if (r.notice.kind === 'page') throw new Error('pager down');
    });
    expect(first).toEqual({ handled: 1, failed: 1, rejected: 1 });
    expect((await q.pending()).map((r) => r.notice.key)).toEqual([`page#${CALL}`]);
    expect(readFileSync(`${file}.rejected`, 'utf8')).toBe('not json\n');
    const second = await q.drain(async (r) => void seen.push(r));
    expect(second).toEqual({ handled: 1, failed: 0, rejected: 0 });
    expect(seen.map((r) => r.notice.kind)).toEqual(['confirmation', 'page', 'page']);
    // The same copy each time: its id is the holder of the key's conditional write.
    expect(seen[1]!.id).toBe(seen[2]!.id);
    expect(await q.pending()).toEqual([]);
  });

  it('a drain interrupted by a crash (the .replaying file left behind) is finished by the next process', async () => {
    const file = fresh();
    await new FileNoticeQueue(file).enqueue(confirmation());
    const line = readFileSync(file, 'utf8');
    writeFileSync(`${file}.replaying`, line);
    writeFileSync(file, '');
    await new FileNoticeQueue(file).enqueue(confirmation()); // still waiting (in .replaying): not added again
    expect(readFileSync(file, 'utf8')).toBe('');
    const seen: string[] = [];
    expect(await new FileNoticeQueue(file).drain(async (r) => void seen.push(r.notice.key))).toEqual({ handled: 1, failed: 0, rejected: 0 });
    expect(seen).toEqual([`confirm#${CALL}`]);
  });

  it('refuses a notice it cannot write (here its folder is a file): the caller must hear it was not kept', async () => {
    const blocker = fresh();
    writeFileSync(blocker, '');
    await expect(new FileNoticeQueue(join(blocker, 'notices.jsonl')).enqueue(confirmation())).rejects.toThrow(/ENOTDIR|EEXIST/);
  });
});
