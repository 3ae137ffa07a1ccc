/** JSON Pointer (RFC 6901) helpers. Tool names may contain "/" and "~", so always escape. */
export function escapePointerSegment(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function toPointer(path: ReadonlyArray<string | number>): string {
  return path.length === 0 ? '' : `/${path.map(escapePointerSegment).join('/')}`;
}

export function parentPointer(pointer: string): string | undefined {
  if (pointer === '') return undefined;
  return pointer.slice(0, pointer.lastIndexOf('/'));
}
