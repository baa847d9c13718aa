import { deflateRawSync } from 'node:zlib';
import { unpackedZipSize } from './zip-size';

/** a zip of the given entries, by the book: local headers, the central directory, the end record */
function zip(entries: { name: string; data: Buffer; method: 0 | 8 }[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const { name, data, method } of entries) {
    const packed = method === 8 ? deflateRawSync(data) : data;
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(method, 10);
    dir.writeUInt32LE(packed.length, 20);
    dir.writeUInt32LE(data.length, 24);
    dir.writeUInt16LE(nameBytes.length, 28);
    dir.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, packed);
    central.push(dir, nameBytes);
    offset += 30 + nameBytes.length + packed.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

describe('unpackedZipSize (the XLSX zip-bomb bound)', () => {
  const text = (n: number) => Buffer.alloc(n, 'a');

  it('counts stored and deflated entries as they unpack', () => {
    const file = zip([
      { name: 'a.xml', data: text(1000), method: 8 },
      { name: 'b.bin', data: text(300), method: 0 },
    ]);
    expect(unpackedZipSize(file, 10_000)).toEqual({ bytes: 1300 });
    expect(unpackedZipSize(file, 1300)).toEqual({ bytes: 1300 });
  });

  it('stops as soon as the total passes the bound, in one entry or over several', () => {
    expect(unpackedZipSize(zip([{ name: 'bomb.xml', data: text(50_000_000), method: 8 }]), 1_000_000)).toBe(
      'TOO_LARGE',
    );
    const many = zip(Array.from({ length: 5 }, (_, i) => ({ name: `${i}.xml`, data: text(300), method: 8 as const })));
    expect(unpackedZipSize(many, 1499)).toBe('TOO_LARGE');
    expect(unpackedZipSize(many, 1500)).toEqual({ bytes: 1500 });
  });

  it('does not trust the declared sizes', () => {
    const file = zip([{ name: 'bomb.xml', data: text(2_000_000), method: 8 }]);
    file.writeUInt32LE(1, file.indexOf('PK\x01\x02', 0, 'latin1') + 24);
    expect(unpackedZipSize(file, 1_000_000)).toBe('TOO_LARGE');
  });

  it('calls anything else unreadable: no end record, a cut file, an unknown method, a corrupt stream', () => {
    const good = zip([{ name: 'a.xml', data: text(1000), method: 8 }]);
    expect(unpackedZipSize(Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200, 7)]), 1e6)).toBe('UNREADABLE');
    expect(unpackedZipSize(good.subarray(10), 1e6)).toBe('UNREADABLE');
    const method = Buffer.from(good);
    method.writeUInt16LE(12, method.indexOf('PK\x01\x02', 0, 'latin1') + 10); // bzip2
    expect(unpackedZipSize(method, 1e6)).toBe('UNREADABLE');
    const corrupt = Buffer.from(good);
    corrupt.fill(0xff, 35, 40); // inside the deflate stream
    expect(unpackedZipSize(corrupt, 1e6)).toBe('UNREADABLE');
  });
});
