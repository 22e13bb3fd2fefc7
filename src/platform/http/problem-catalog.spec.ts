import { PROBLEMS, problemText, registerProblems, type ProblemCode } from './problem-catalog.js';

const parcel = {
  parcel_lost: {
    status: 410,
    en: ['Parcel lost', 'Parcel {parcel} was lost.'],
    id: ['Paket hilang', 'Paket {parcel} hilang.'],
  },
} as const;

describe('registerProblems', () => {
  it('adds a module’s problems to the catalogue, and the same module again changes nothing', () => {
    registerProblems([{ module: 'shipping/parcels', problems: parcel }]);
    registerProblems([{ module: 'shipping/parcels', problems: parcel }]);
    expect(PROBLEMS.parcel_lost.status).toBe(410);
    expect(problemText('parcel_lost' as ProblemCode, 'id', { parcel: 'P-7' })).toEqual({
      title: 'Paket hilang',
      detail: 'Paket P-7 hilang.',
    });
  });

  it('stops on a code two modules declare, naming both, and adds nothing of that call', () => {
    const mine = { ...parcel.parcel_lost, status: 409 };
    expect(() =>
      registerProblems([
        { module: 'shipping/labels', problems: { label_void: mine } },
        { module: 'shipping/returns', problems: { label_void: mine } },
      ]),
    ).toThrow(
      'problem code "label_void" is declared by both shipping/labels and shipping/returns; every code must be unique',
    );
    expect(PROBLEMS.label_void).toBeUndefined();
    expect(() =>
      registerProblems([{ module: 'shipping/returns', problems: { parcel_lost: mine } }]),
    ).toThrow('"parcel_lost" is declared by both shipping/parcels and shipping/returns');
  });

  it('keeps the platform’s codes for the platform', () => {
    expect(() =>
      registerProblems([{ module: 'shipping', problems: { not_found: parcel.parcel_lost } }]),
    ).toThrow('"not_found" is declared by both platform and shipping');
    expect(PROBLEMS.not_found.status).toBe(404);
  });
});
