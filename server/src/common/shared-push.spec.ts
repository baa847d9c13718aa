import { PreSerialized } from './shared-push';

const text = (value: PreSerialized) => {
  const bytes = value.bytes();
  expect(bytes.length).withContext('byteLength').toBe(value.byteLength);
  return bytes.toString();
};

describe('PreSerialized', () => {
  const items = ['{"id":"a","taken":false}', '{"id":"ü","taken":true}', '{"id":"c","taken":false}'].map((json) =>
    Buffer.from(json),
  );

  it('is the JSON array of the shared items in the order given, each item copied as is', () => {
    const json = text(PreSerialized.array(items, Uint32Array.of(2, 0, 1)));
    expect(JSON.parse(json)).toEqual([
      { id: 'c', taken: false },
      { id: 'a', taken: false },
      { id: 'ü', taken: true },
    ]);
  });

  it('is an empty array for no items, and one item without a separator', () => {
    expect(text(PreSerialized.array(items, []))).toBe('[]');
    expect(text(PreSerialized.array(items, [1]))).toBe('[{"id":"ü","taken":true}]');
  });

  it('holds any JSON text as UTF-8', () => {
    expect(text(PreSerialized.json('{"a":"ә"}'))).toBe('{"a":"ә"}');
  });
});
