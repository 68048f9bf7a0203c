import type { Session } from '../../engine/dialect.ts';
import { metaSchemaStatements } from './schema.ts';

/** Creates `vaultline_meta` and its tables when missing (idempotent, one transaction). */
export async function ensureMetaSchema(session: Session): Promise<void> {
  await session.transaction(async (tx) => {
    for (const statement of metaSchemaStatements(session.dialect)) await tx.execute(statement);
  });
}
