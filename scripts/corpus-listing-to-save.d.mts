/** iptables-save text from a published listing (scripts/corpus-listing-to-save.mjs). */
export function listingToSave(text: string, opts?: { table?: string }): string;
