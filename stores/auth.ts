import { defineStore } from 'pinia'
import { useLocalStorage } from '@vueuse/core'

/** The admin access key, kept in localStorage (`ccb-key`) so a reload stays signed in. */
export const useAuthStore = defineStore('auth', () => {
  const key = useLocalStorage('ccb-key', '', { writeDefaults: false })

  function login(value: string) {
    key.value = value
  }

  function logout() {
    key.value = ''
  }

  return { key, login, logout }
})
