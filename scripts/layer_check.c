/* SPDX-License-Identifier: Apache-2.0 */
/* Links one layer's every object with only the layers below it (see
 * CMakeLists.txt): it builds exactly when no layer calls a higher one. */
int main(void);

int main(void)
{
    return 0;
}
