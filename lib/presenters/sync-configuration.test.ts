import { describe, expect, it } from "vitest";
import { describeBatchWindow } from "./sync-configuration";

describe("batch windows in words", () => {
  it("names the four shapes a window can take", () => {
    expect(describeBatchWindow({ fromMonthsAgo: 2, toMonthsAgo: 0 })).toBe("Last 2 months");
    expect(describeBatchWindow({ fromMonthsAgo: 12, toMonthsAgo: 2 })).toBe("From 12 to 2 months ago");
    expect(describeBatchWindow({ fromMonthsAgo: null, toMonthsAgo: 0 })).toBe("All history");
    expect(describeBatchWindow({ fromMonthsAgo: null, toMonthsAgo: 12 })).toBe("Everything older than 12 months");
    expect(describeBatchWindow({ fromMonthsAgo: 1, toMonthsAgo: 0 })).toBe("Last 1 month");
  });
});
