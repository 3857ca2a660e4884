/**
 * Tells, fragment by fragment, whether streamed tool arguments already form a whole JSON object
 * or array, in one pass over the text (re-parsing after every fragment would be quadratic on the
 * large `Write`/`Edit` arguments Claude Code produces).
 */
export class JsonCompleteness {
  private depth = 0
  private opened = false
  private inString = false
  private escaped = false

  /** True once the outermost object/array has closed. */
  get complete(): boolean {
    return this.opened && this.depth === 0
  }

  feed(text: string): void {
    for (let i = 0; i < text.length && !this.complete; i++) {
      const c = text.charCodeAt(i)
      if (this.inString) {
        if (this.escaped) this.escaped = false
        else if (c === 92 /* \ */) this.escaped = true
        else if (c === 34 /* " */) this.inString = false
      }
      else if (c === 34) {
        this.inString = true
      }
      else if (c === 123 /* { */ || c === 91 /* [ */) {
        this.depth++
        this.opened = true
      }
      else if (c === 125 /* } */ || c === 93 /* ] */) {
        this.depth--
      }
    }
  }
}
