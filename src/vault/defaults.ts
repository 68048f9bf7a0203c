/** Schema vault entities are built in unless their YAML says `schema:`. */
export const DEFAULT_VAULT_SCHEMA = 'vault';
