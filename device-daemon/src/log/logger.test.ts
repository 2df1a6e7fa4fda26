import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';

function capture(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { lines, stream };
}

describe('logger redaction', () => {
  it('removes names, ID numbers, addresses, images and secrets at any depth', () => {
    const { lines, stream } = capture();
    const log = createLogger({ level: 'info', destination: stream });
    log.info(
      {
        name: '张三',
        idNumber: '11010519491231002X',
        card: { name: '李四', address: '北京市东城区某街1号', photo: 'V0xmAH4CAAD/hQ==' },
        session: { person: { idNumber: '310112198504095227', birthDate: '1985-04-09' } },
        request: { headers: { authorization: 'Bearer secret-value' } },
        command: 'IdCard.Read',
      },
      'card read',
    );
    const line = lines.join('');
    for (const secret of ['张三', '李四', '11010519491231002X', '310112198504095227', '北京市', 'V0xmAH4', 'secret-value', '1985-04-09']) {
      expect(line).not.toContain(secret);
    }
    expect(line).toContain('IdCard.Read');
    expect(line).toContain('[redacted]');
  });
});
