package dev.edgesocket.heartbeat;

import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A hashed timing wheel of one-second slots. Adding and removing are O(1) from any thread; advancing
 * visits only the slots whose second has come, so the work of a tick follows the entries due, not
 * all entries. An entry is in at most one slot; removal takes it out at once.
 */
final class TimingWheel {

    /** An entry's place in the wheel; owned by the wheel, kept on the entry for O(1) removal. */
    static class Entry {
        volatile int slot = -1;
        volatile long dueSecond;
    }

    private final Set<Entry>[] slots;
    private volatile long processedSecond;

    @SuppressWarnings("unchecked")
    TimingWheel(int slotCount, long startSecond) {
        slots = new Set[slotCount];
        for (int i = 0; i < slotCount; i++) {
            slots[i] = ConcurrentHashMap.newKeySet();
        }
        processedSecond = startSecond - 1;
    }

    /** Files {@code entry} under the second it is due; a due second already passed counts as the next one. */
    void add(Entry entry, long dueSecond) {
        remove(entry);
        entry.dueSecond = dueSecond;
        int slot = (int) Math.floorMod(dueSecond, (long) slots.length);
        entry.slot = slot;
        slots[slot].add(entry);
    }

    /** Removes {@code entry}; true when it was still in its slot (nobody else took it). */
    boolean removeIfPresent(Entry entry) {
        int slot = entry.slot;
        if (slot >= 0 && slots[slot].remove(entry)) {
            entry.slot = -1;
            return true;
        }
        return false;
    }

    void remove(Entry entry) {
        int slot = entry.slot;
        if (slot >= 0) {
            slots[slot].remove(entry);
            entry.slot = -1;
        }
    }

    /**
     * Hands every entry due up to {@code nowSecond} to {@code due}, removed from the wheel. Catches
     * up on seconds a late tick missed. Only one thread may advance.
     */
    void advance(long nowSecond, Consumer<Entry> due) {
        long from = Math.max(processedSecond + 1, nowSecond - slots.length + 1);
        for (long second = from; second <= nowSecond; second++) {
            Set<Entry> slot = slots[(int) Math.floorMod(second, (long) slots.length)];
            for (Iterator<Entry> it = slot.iterator(); it.hasNext();) {
                Entry entry = it.next();
                if (entry.dueSecond <= nowSecond) {
                    it.remove();
                    entry.slot = -1;
                    due.accept(entry);
                }
            }
        }
        processedSecond = Math.max(processedSecond, nowSecond);
    }

    /** The last second handed out by {@link #advance}. */
    long processedSecond() {
        return processedSecond;
    }

    /** Entries in the wheel (a full count, for tests and the admin view; not for hot paths). */
    int size() {
        int size = 0;
        for (Set<Entry> slot : slots) {
            size += slot.size();
        }
        return size;
    }
}
