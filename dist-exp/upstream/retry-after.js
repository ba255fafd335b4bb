/**
 * Reads `Retry-After` in both forms RFC 9110 allows: delay-seconds or an HTTP date. Returns
 * whole seconds from `now` (never negative), or undefined when the header is absent or unreadable.
 */
export function parseRetryAfter(header, now = Date.now()) {
    if (header === undefined)
        return undefined;
    const value = header.trim();
    if (/^\d+$/.test(value))
        return Number(value);
    // Only the IMF-fixdate form and its obsolete cousins carry a weekday and "GMT".
    if (!/GMT$/.test(value))
        return undefined;
    const date = Date.parse(value);
    if (Number.isNaN(date))
        return undefined;
    return Math.max(0, Math.ceil((date - now) / 1000));
}
//# sourceMappingURL=retry-after.js.map