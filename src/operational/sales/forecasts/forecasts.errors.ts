import type { ProblemCatalog } from '#platform/http/index.js';

/** The problems of forecasts. Registered at boot by the application root; `{name}` comes from the params. */
export const FORECAST_PROBLEMS = {
  insufficient_history: {
    status: 422,
    en: [
      'Not enough history',
      'The history starts with the first won opportunity and covers only {periods} {unit} up to {until}; a trend needs at least {required}. Try a shorter period or wait for more closed deals.',
    ],
    id: [
      'Riwayat belum cukup',
      'Riwayat dimulai dari peluang pertama yang berhasil dan baru mencakup {periods} {unitId} hingga {until}; sebuah tren memerlukan paling sedikit {required}. Coba periode yang lebih pendek atau tunggu lebih banyak transaksi yang ditutup.',
    ],
  },
} as const satisfies ProblemCatalog;

declare module '#platform/http/problem-catalog.js' {
  interface ModuleProblemCodes {
    insufficient_history: true;
  }
}
