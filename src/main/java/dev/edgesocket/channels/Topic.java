package dev.edgesocket.channels;

import java.util.Arrays;

/** The channel objects of one name on this server, copy-on-write: a post reads one array without a lock. */
final class Topic {

    private static final ChannelObject[] NONE = new ChannelObject[0];

    private final String name;
    private volatile ChannelObject[] members = NONE;
    private boolean gone;

    Topic(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    ChannelObject[] members() {
        return members;
    }

    int size() {
        return members.length;
    }

    /** False when the topic was already let go (its last member left): the caller takes a new one. */
    synchronized boolean add(ChannelObject member) {
        if (gone) {
            return false;
        }
        ChannelObject[] current = members;
        ChannelObject[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] = member;
        members = next;
        return true;
    }

    /** Returns true when that was the last member: the topic is gone and takes no new member. */
    synchronized boolean remove(ChannelObject member) {
        ChannelObject[] current = members;
        for (int i = 0; i < current.length; i++) {
            if (current[i] == member) {
                if (current.length == 1) {
                    members = NONE;
                    gone = true;
                    return true;
                }
                ChannelObject[] next = new ChannelObject[current.length - 1];
                System.arraycopy(current, 0, next, 0, i);
                System.arraycopy(current, i + 1, next, i, current.length - i - 1);
                members = next;
                return false;
            }
        }
        return false;
    }
}
