import type { FileSql } from '../files.ts';
import { duckdbDialect } from './dialect.ts';

export const duckdbFiles: FileSql = {
  /** read_csv reads the file where it is: nothing to stage. */
  async stageCsv() {},
  csvSelect(path, columnTypes) {
    const lit = (v: string) => duckdbDialect.literal(v);
    const types = Object.entries(columnTypes);
    const typeOption =
      types.length === 0
        ? ''
        : `, column_types = {${types.map(([c, t]) => `${lit(c)}: ${lit(t)}`).join(', ')}}`;
    return `SELECT * FROM read_csv(${lit(path)}, header = true, auto_detect = true${typeOption})`;
  },
};
