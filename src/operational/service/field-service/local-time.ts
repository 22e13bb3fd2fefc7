/** Wall-clock parts of an instant in a time zone. */
export interface LocalParts {
  date: string;
  /** ISO weekday, 1 Monday … 7 Sunday. */
  weekday: number;
  time: string;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

export function localParts(instant: Date, zone: string): LocalParts {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: WEEKDAYS[parts.weekday],
    time: `${parts.hour}:${parts.minute}`,
  };
}

/** The instant a calendar day starts in a time zone (its local midnight). */
export function startOfDay(day: string, zone: string): Date {
  const guess = new Date(`${day}T00:00:00Z`);
  // The zone's offset at that moment, read back from its wall clock; twice, for days a shift starts.
  let at = guess;
  for (let i = 0; i < 2; i++) {
    const p = localParts(at, zone);
    const wall = Date.parse(`${p.date}T${p.time}:00Z`);
    at = new Date(guess.getTime() - (wall - at.getTime()));
  }
  return at;
}

/** The day after a calendar day. */
export function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
