#!/usr/bin/env bash
# Social cards on the 10k corpus, in turn: social_cards: false (on a copy of
# the corpus), cards with an empty cache, cards from the cache; two rounds.
# Prints /usr/bin/time's wall, user, sys and peak RSS, and the build line.
# Needs `cargo build --release --bin briefing --example gen_corpus` first.
set -euo pipefail
cd "$(dirname "$0")/.."
C=/dev/shm/cards-corpus-10k
[ -d $C ] || target/release/examples/gen_corpus --articles 10000 --out $C >/dev/null
[ -d $C-off ] || { cp -r $C $C-off; echo "social_cards: false" >> $C-off/site.yaml; }
run() { # label root
  /usr/bin/time -f "%e %U %S %M" -o /dev/shm/cards-time target/release/briefing build --root "$2" --output /dev/shm/cards-out > /dev/shm/cards-line
  echo "$1: wall/user/sys/rss $(cat /dev/shm/cards-time) | $(cat /dev/shm/cards-line | sed 's/.*in \([0-9]* ms\)/\1/')"
}
for round in 1 2; do
  run off $C-off
  rm -rf $C/.briefing
  run cold $C
  run warm $C
done
ls $C/.briefing/cache/cards | wc -l
du -sm $C/.briefing/cache/cards
find /dev/shm/cards-out -name card.png | wc -l
