import type { ScheduleConfig } from '../config.ts';
import { latestTickAtOrBefore, nextTick } from './ticks.ts';
import {
  clockText,
  localDate,
  localParts,
  offsetTransitionNear,
  utcOffsetMinutes,
  zoneLabel,
} from './zone.ts';

/**
 * Notes for a tick near a DST change, so that a preview says what will happen before it happens.
 * Nothing is assumed about what croner does: the notes compare the tick with the cron's nominal wall
 * time and with the zone's offsets either side of the change, and look the other instants up.
 */

const DAY_ALIASES = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight']);
const FIXED = /^\d{1,2}$/;

/** The wall time a cron names when its minute and hour (and second) are single numbers, else undefined. */
export function nominalTime(cron: string): { hour: number; minute: number; second: number } | undefined {
  const text = cron.trim().toLowerCase();
  if (DAY_ALIASES.has(text)) return { hour: 0, minute: 0, second: 0 };
  const fields = text.split(/\s+/);
  const [second, minute, hour] = fields.length >= 6 ? fields : ['0', ...fields];
  if (!second || !minute || !hour || ![second, minute, hour].every((field) => FIXED.test(field))) {
    return undefined;
  }
  return { hour: Number(hour), minute: Number(minute), second: Number(second) };
}

function isTick(schedule: ScheduleConfig, at: Date): boolean {
  return nextTick(schedule, new Date(at.getTime() - 1000))?.getTime() === at.getTime();
}

export function dstNotes(tick: Date, schedule: ScheduleConfig): string[] {
  const zone = schedule.timezone;
  const transition = offsetTransitionNear(tick, zone);
  if (!transition) return [];
  const { at, before, after } = transition;
  // Wall clocks as epoch milliseconds "as if UTC": where the clock stood just before and after.
  const wallBefore = at.getTime() + before * 60_000;
  const wallAfter = at.getTime() + after * 60_000;
  const day = localDate(tick, zone);
  const transitionDays = [wallBefore, wallAfter].map((wall) => new Date(wall).toISOString().slice(0, 10));
  if (!transitionDays.includes(day)) return [];
  const fromText = clockText(Math.round((wallBefore % 86_400_000) / 60_000));
  const toText = clockText(Math.round((wallAfter % 86_400_000) / 60_000));
  const jump = after > before ? `clocks jump ${fromText}→${toText}` : `clocks go back ${fromText}→${toText}`;

  const nominal = nominalTime(schedule.cron);
  if (nominal) {
    const [y, m, d] = day.split('-').map(Number);
    const nominalWall = Date.UTC(y!, m! - 1, d!, nominal.hour, nominal.minute, nominal.second);
    const nominalText = clockText(nominal.hour * 60 + nominal.minute);
    const tickParts = localParts(tick, zone);
    const tickText = clockText(tickParts.hour * 60 + tickParts.minute);
    if (after > before && nominalWall >= wallBefore && nominalWall < wallAfter) {
      return [`${nominalText} does not exist on ${day} in ${zone} (${jump}): runs once at ${tickText}`];
    }
    if (after < before && nominalWall >= wallAfter && nominalWall < wallBefore) {
      const shift = (before - after) * 60_000;
      const isFirst = utcOffsetMinutes(tick, zone) === before;
      const other = new Date(tick.getTime() + (isFirst ? shift : -shift));
      const both = `${zoneLabel(isFirst ? tick : other, zone)} and ${zoneLabel(isFirst ? other : tick, zone)}`;
      if (isTick(schedule, other)) {
        return [`${nominalText} happens twice on ${day} in ${zone} (${jump}): runs at both (${both})`];
      }
      return [
        `${nominalText} happens twice on ${day} in ${zone}: runs once, at the ${isFirst ? 'first' : 'second'} (${zoneLabel(tick, zone)})`,
      ];
    }
    return [];
  }

  // Hourly and other multi-hour patterns follow the clock: say so once, on the first tick after the change.
  if (tick.getTime() < at.getTime()) return [];
  const previous = latestTickAtOrBefore(schedule, new Date(tick.getTime() - 1000));
  if (previous && previous.getTime() >= at.getTime()) return [];
  const hours = 24 + (before - after) / 60;
  return [`${day} has ${hours} hours in ${zone} (${jump})`];
}
