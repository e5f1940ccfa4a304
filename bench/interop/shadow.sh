# Sourced by bench/interop/namespace and deliver. shadow_without DIR NAME: in this mount namespace, DIR
# becomes a tmpfs holding every entry of the real DIR (bound back in, symlinks copied) except NAME; the
# tmpfs is writable, the entries are the real ones. Nothing is created or removed on the real disk.
shadow_without() {
  shadow_dir=$1
  shadow_skip=$2
  shadow=$(mktemp -d)
  mount -t tmpfs -o mode=0755 interop "$shadow" || return 1
  for entry in "$shadow_dir"/* "$shadow_dir"/.[!.]*; do
    [ -e "$entry" ] || [ -L "$entry" ] || continue
    name=${entry##*/}
    [ "$name" != "$shadow_skip" ] || continue
    if [ -L "$entry" ]; then
      cp -P "$entry" "$shadow/$name"
    elif [ -d "$entry" ]; then
      mkdir "$shadow/$name" && mount --rbind "$entry" "$shadow/$name"
    else
      : >"$shadow/$name" && mount --bind "$entry" "$shadow/$name"
    fi || return 1
  done
  mount --move "$shadow" "$shadow_dir" || return 1
  rmdir "$shadow" 2>/dev/null || true
}
