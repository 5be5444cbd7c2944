# bash completion for preflight(1). Install as
# /usr/share/bash-completion/completions/preflight, or source it.

_preflight() {
  local cur prev
  cur="${COMP_WORDS[COMP_CWORD]}"
  prev="${COMP_CWORD:+${COMP_WORDS[COMP_CWORD-1]}}"

  # After `--` the rest is the command to exec: complete commands and files.
  local i
  for ((i = 1; i < COMP_CWORD; i++)); do
    if [[ "${COMP_WORDS[i]}" == "--" ]]; then
      if ((i == COMP_CWORD - 1)); then
        mapfile -t COMPREPLY < <(compgen -c -- "$cur")
      else
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
      fi
      return 0
    fi
  done

  case "$prev" in
    -c|--config|--secrets-file)
      mapfile -t COMPREPLY < <(compgen -f -X '!*.json' -- "$cur"; compgen -d -- "$cur")
      return 0 ;;
    -e|--env-file|--report-file)
      mapfile -t COMPREPLY < <(compgen -f -- "$cur")
      return 0 ;;
    -s|--secrets-dir)
      mapfile -t COMPREPLY < <(compgen -d -- "$cur")
      return 0 ;;
    -o|--output)
      mapfile -t COMPREPLY < <(compgen -W "text json junit" -- "$cur")
      return 0 ;;
    --report-format)
      mapfile -t COMPREPLY < <(compgen -W "json junit" -- "$cur")
      return 0 ;;
    --log-format)
      mapfile -t COMPREPLY < <(compgen -W "text json" -- "$cur")
      return 0 ;;
    --mode)
      mapfile -t COMPREPLY < <(compgen -W "enforce warn" -- "$cur")
      return 0 ;;
    --target)
      mapfile -t COMPREPLY < <(compgen -W "cloudrun" -- "$cur")
      return 0 ;;
    --phase|--phase-timeout)
      mapfile -t COMPREPLY < <(compgen -W "database cache services websocket" -- "$cur")
      return 0 ;;
    --set)
      return 0 ;;
  esac

  local options="-h --help --version -c --config -e --env-file -s --secrets-dir --secrets-file --set --phase
    --phase-timeout --once --keep-going -o --output --report-file --report-format --log-format --mode --target
    -v --verbose -q --quiet --"
  if ((COMP_CWORD == 1)) && [[ "$cur" != -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "check lint schema" -- "$cur")
    return 0
  fi
  mapfile -t COMPREPLY < <(compgen -W "$options" -- "$cur")
}

complete -F _preflight preflight
