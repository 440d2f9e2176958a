import { exhaustive } from './exhaustive';

type Kind = 'bed' | 'household';

function label(kind: Kind): string {
  switch (kind) {
    case 'bed':
      return 'a bed';
    case 'household':
      return 'a household';
    default:
      return exhaustive(kind);
  }
}

describe('exhaustive', () => {
  it('ends a switch that covers every case of a union', () => {
    expect(['bed', 'household'].map((k) => label(k as Kind))).toEqual(['a bed', 'a household']);
  });

  it('hands a value outside the union back as it is', () => {
    expect(label('block-bed' as Kind)).toBe('block-bed');
  });
});
