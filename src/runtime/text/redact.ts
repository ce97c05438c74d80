/**
 * Passwords out of what the CLI echoes: a URL's `user:password@` (a database URL given with
 * `--set`, say) becomes `user@` wherever the command line is repeated back to the user.
 */

const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):[^\s/@]*@/gi

/** `text` with every URL's password removed. */
export const redactPasswords = (text: string): string => text.replace(URL_CREDENTIALS, "$1@")
