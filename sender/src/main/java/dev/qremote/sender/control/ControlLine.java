package dev.qremote.sender.control;

/** One meaningful line of a list file: its number in the file (from 1, as editors count) and its text. */
public record ControlLine(int number, String text) {
}
